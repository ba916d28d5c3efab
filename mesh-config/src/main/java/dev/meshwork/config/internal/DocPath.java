package dev.meshwork.config.internal;

/**
 * Field paths as problems and {@code explain()} show them: {@code
 * services.mathoid.routes[0].split[1].weight}. A key that is not a plain name is quoted: {@code
 * services["mathoid.svc"]}.
 */
public final class DocPath {
  private DocPath() {}

  /** The path of field {@code key} of the object at {@code parent} ("" is the root). */
  public static String child(String parent, String key) {
    if (plain(key)) {
      return parent.isEmpty() ? key : parent + "." + key;
    }
    return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  /** The path of item {@code index} of the array at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  private static boolean plain(String key) {
    if (key.isEmpty()) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (!plain(key.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean plain(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '_'
        || c == '-';
  }
}

package dev.meshwork.core.internal.admin;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of admin output. Free text the mesh did not write itself (a discovery
 * source's description, a discovery error, a health-check path, labels) may carry credentials
 * in a URL, a {@code token=...} pair, a bearer header or even a PEM key; they are replaced with
 * {@value #REDACTED} before anything is written.
 */
final class Redaction {
  static final String REDACTED = "[redacted]";

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", Pattern.DOTALL);
  private static final Pattern URL_USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@\\s]+@");
  private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]+");
  private static final String SENSITIVE_NAME =
      "(?:password|passwd|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?|authorization|auth)";
  private static final Pattern SENSITIVE_PAIR =
      Pattern.compile("(?i)(\\b[\\w.-]*" + SENSITIVE_NAME + "[\\w.-]*\\s*[=:]\\s*)(?!(?:bearer|basic)\\s)([^&\\s,;}\\])'\"]+)");
  private static final Pattern SENSITIVE_KEY = Pattern.compile("(?i).*" + SENSITIVE_NAME + ".*");

  private Redaction() {
  }

  /** {@code text} with credentials replaced; {@code null} stays {@code null}. */
  static String text(String text) {
    if (text == null) {
      return null;
    }
    String result = PRIVATE_KEY.matcher(text).replaceAll(REDACTED);
    result = URL_USER_INFO.matcher(result).replaceAll("$1" + REDACTED + "@");
    result = BEARER.matcher(result).replaceAll("$1 " + REDACTED);
    return SENSITIVE_PAIR.matcher(result).replaceAll("$1" + REDACTED);
  }

  /** The value to show for the entry {@code key = value} of a map such as an endpoint's labels. */
  static String entry(String key, String value) {
    return SENSITIVE_KEY.matcher(key).matches() ? REDACTED : text(value);
  }

  /** A map such as labels, sorted by key, with {@link #entry} applied to every value. */
  static Map<String, String> entries(Map<String, String> map) {
    Map<String, String> shown = new TreeMap<>();
    map.forEach((key, value) -> shown.put(key, entry(key, value)));
    return shown;
  }
}

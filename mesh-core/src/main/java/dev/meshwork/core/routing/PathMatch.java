package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * How a route matches the request path (without the query): by prefix, exactly, or by a regular
 * expression that must match the whole path. Build one with {@link #prefix}, {@link #exact} or
 * {@link #regex}.
 */
public final class PathMatch {
  /** The kind of comparison. */
  public enum Kind {
    PREFIX,
    EXACT,
    REGEX
  }

  private final Kind kind;
  private final String value;
  private final Pattern pattern;

  private PathMatch(Kind kind, String value, Pattern pattern) {
    this.kind = kind;
    this.value = value;
    this.pattern = pattern;
  }

  /** Paths starting with {@code prefix}, which must start with {@code /}. */
  public static PathMatch prefix(String prefix) {
    return new PathMatch(Kind.PREFIX, absolute("path prefix", prefix), null);
  }

  /** Exactly {@code path}, which must start with {@code /}. */
  public static PathMatch exact(String path) {
    return new PathMatch(Kind.EXACT, absolute("path exact", path), null);
  }

  /**
   * Paths that {@code regex} (Java syntax) matches as a whole. A repeated group such as {@code
   * (/[a-z]+)*} recurses once per repetition in {@code java.util.regex}: a long enough path then
   * fails its call (see {@link #matches}) instead of matching; prefer a prefix or {@code [/a-z]*}.
   *
   * @throws MeshConfigException when the expression does not compile
   */
  public static PathMatch regex(String regex) {
    return new PathMatch(Kind.REGEX, regex, compile("path regex", regex));
  }

  public Kind kind() {
    return kind;
  }

  public String value() {
    return value;
  }

  /**
   * Whether {@code path} matches.
   *
   * @throws MeshConfigException naming the regex when {@code java.util.regex} runs out of stack
   *     matching it against {@code path}
   */
  public boolean matches(String path) {
    return switch (kind) {
      case PREFIX -> path.startsWith(value);
      case EXACT -> path.equals(value);
      case REGEX -> matchesWhole(pattern, path, "path regex", "path");
    };
  }

  /**
   * Whether {@code pattern} matches all of {@code input}; a regex that overflows the stack on it
   * (it recurses once per repetition of a group) is refused, naming {@code field}.
   */
  static boolean matchesWhole(Pattern pattern, String input, String field, String what) {
    try {
      return pattern.matcher(input).matches();
    } catch (StackOverflowError e) {
      throw new MeshConfigException(
          field,
          pattern.pattern(),
          "a regular expression that java.util.regex can match against a "
              + what
              + " of "
              + input.length()
              + " characters (it ran out of stack; a repeated group such as (/[a-z]+)* recurses"
              + " once per repetition)");
    }
  }

  static Pattern compile(String field, String regex) {
    if (regex == null) {
      throw new MeshConfigException(field, null, "a Java regular expression");
    }
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new MeshConfigException(
          field,
          regex,
          "a valid Java regular expression ("
              + e.getDescription()
              + " at index "
              + e.getIndex()
              + ")");
    }
  }

  private static String absolute(String field, String path) {
    if (path == null || !path.startsWith("/")) {
      throw new MeshConfigException(field, path, "a path starting with '/'");
    }
    return path;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathMatch that && kind == that.kind && value.equals(that.value);
  }

  @Override
  public int hashCode() {
    return kind.hashCode() * 31 + value.hashCode();
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + " " + value;
  }
}

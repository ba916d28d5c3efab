package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a route matches one request header: present with any value, equal to a value, or matched as a
 * whole by a regular expression. Header names are case-insensitive.
 */
public final class HeaderMatch {
  /** The kind of comparison. */
  public enum Kind {
    PRESENT,
    EXACT,
    REGEX
  }

  private final String name;
  private final Kind kind;
  private final String value;
  private final Pattern pattern;

  private HeaderMatch(String name, Kind kind, String value, Pattern pattern) {
    if (name == null || name.isBlank()) {
      throw new MeshConfigException("header name", name, "a non-blank header name");
    }
    this.name = name;
    this.kind = kind;
    this.value = value;
    this.pattern = pattern;
  }

  /** The header is present, whatever its value. */
  public static HeaderMatch present(String name) {
    return new HeaderMatch(name, Kind.PRESENT, null, null);
  }

  /** The header's first value equals {@code value}. */
  public static HeaderMatch exact(String name, String value) {
    if (value == null) {
      throw new MeshConfigException("header '" + name + "' value", null, "a value to compare with");
    }
    return new HeaderMatch(name, Kind.EXACT, value, null);
  }

  /**
   * The header's first value is matched as a whole by {@code regex}; as with {@link
   * PathMatch#regex}, a long value a repeated group cannot match without running out of stack fails
   * the call.
   *
   * @throws MeshConfigException when the expression does not compile
   */
  public static HeaderMatch regex(String name, String regex) {
    return new HeaderMatch(
        name, Kind.REGEX, regex, PathMatch.compile("header '" + name + "' regex", regex));
  }

  public String name() {
    return name;
  }

  public Kind kind() {
    return kind;
  }

  /** The value or expression compared with; empty for {@link Kind#PRESENT}. */
  public Optional<String> value() {
    return Optional.ofNullable(value);
  }

  /**
   * Whether {@code request} carries a matching header.
   *
   * @throws MeshConfigException naming the header and the regex when {@code java.util.regex} runs
   *     out of stack matching the value
   */
  public boolean matches(MeshRequest request) {
    String actual = request.header(name);
    if (actual == null) {
      return false;
    }
    return switch (kind) {
      case PRESENT -> true;
      case EXACT -> actual.equals(value);
      case REGEX ->
          PathMatch.matchesWhole(pattern, actual, "header '" + name + "' regex", "header value");
    };
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HeaderMatch that
        && name.equalsIgnoreCase(that.name)
        && kind == that.kind
        && java.util.Objects.equals(value, that.value);
  }

  @Override
  public int hashCode() {
    return name.toLowerCase(java.util.Locale.ROOT).hashCode() * 31 + kind.hashCode();
  }

  @Override
  public String toString() {
    return switch (kind) {
      case PRESENT -> name + " present";
      case EXACT -> name + " = " + value;
      case REGEX -> name + " ~ " + value;
    };
  }
}

package dev.meshwork.core.exception;

/**
 * Configuration that Meshwork refuses: thrown by {@code build()} methods and config reloads.
 *
 * <p>The message always names the offending field (for example {@code service 'mathoid' static
 * endpoint #2}), the value that was given and what was expected, so the mistake can be found
 * without a debugger. Nothing is half-applied when this is thrown.
 */
public final class MeshConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String value;

  /**
   * @param field where the bad value sits, in the words a user configured it with
   * @param value the value that was given, as text ({@code null} shows as "null")
   * @param expected what would have been accepted
   */
  public MeshConfigException(String field, Object value, String expected) {
    super(field + ": " + quote(value) + " is invalid; expected " + expected);
    this.field = field;
    this.value = String.valueOf(value);
  }

  /** Wraps a lower-level complaint with the field it concerns. */
  public MeshConfigException(String field, Object value, MeshConfigException cause) {
    super(field + ": " + quote(value) + " is invalid; " + cause.reason(), cause);
    this.field = field;
    this.value = String.valueOf(value);
  }

  /** The field that was refused, for example {@code service 'mathoid' static endpoint #2}. */
  public String field() {
    return field;
  }

  /** The refused value as text. */
  public String value() {
    return value;
  }

  private String reason() {
    String message = getMessage();
    int marker = message.indexOf(" is invalid; ");
    return marker < 0 ? message : message.substring(marker + " is invalid; ".length());
  }

  private static String quote(Object value) {
    return value == null ? "null" : "'" + value + "'";
  }
}

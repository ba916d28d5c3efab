package dev.meshwork.xds.internal;

/**
 * A resource Meshwork cannot honour safely: the response carrying it is NACKed with this message,
 * and the previous version stays in use.
 */
public final class XdsRejection extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** {@code where} names the resource and field, {@code why} says what cannot be honoured. */
  public XdsRejection(String where, String why) {
    super(where + ": " + why);
  }
}

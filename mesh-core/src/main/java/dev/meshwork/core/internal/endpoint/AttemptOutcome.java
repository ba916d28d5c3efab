package dev.meshwork.core.internal.endpoint;

/**
 * How one attempt ended, as the endpoint statistics (and later the outlier detector, breaker and
 * retry policy) see it.
 */
public enum AttemptOutcome {
  /** A response with a status below 500. */
  SUCCESS,
  /** A response with a 5xx status: the endpoint answered but failed. */
  SERVER_ERROR,
  /** No response: connect failure, reset, timeout or another I/O error. */
  TRANSPORT_ERROR,
  /**
   * Stopped without a verdict on the endpoint: the mesh cancelled it (a hedged race's loser), the
   * caller cancelled the call, or the call's deadline cut it short. Neither success nor failure.
   */
  CANCELLED;

  /** Classifies a response by its HTTP status code. */
  public static AttemptOutcome ofStatus(int status) {
    return status >= 500 ? SERVER_ERROR : SUCCESS;
  }
}

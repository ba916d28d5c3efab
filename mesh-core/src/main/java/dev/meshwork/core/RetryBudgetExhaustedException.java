package dev.meshwork.core;

/**
 * A retry was allowed by the retry policy but refused by the service's retry budget: too many
 * calls are already being retried, so retrying this one would amplify an outage. The failure of
 * the last attempt is the {@linkplain #getCause() cause} when it was an I/O error.
 */
public final class RetryBudgetExhaustedException extends MeshException {
  private static final long serialVersionUID = 1L;

  public RetryBudgetExhaustedException(ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(service, endpoint, reason, cause);
  }
}

package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;

/**
 * A retry was allowed by the retry policy but refused by the service's retry budget: too many calls
 * are already being retried, so retrying this one would amplify an outage. Thrown only when the
 * last attempt failed without an answer, which is the {@linkplain #getCause() cause}; when it got a
 * retriable answer (a 503, say), the caller gets that answer instead.
 */
public final class RetryBudgetExhaustedException extends MeshException {
  private static final long serialVersionUID = 1L;

  public RetryBudgetExhaustedException(
      ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(service, endpoint, reason, cause);
  }
}

package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;

/**
 * A concurrency limit refused the call rather than queue it without bound: the service's in-flight
 * and pending requests were at their limits, or every endpoint was at its connection limit. The
 * message names the limit and its value.
 */
public final class ConcurrencyLimitException extends MeshException {
  private static final long serialVersionUID = 1L;

  public ConcurrencyLimitException(ServiceName service, Endpoint endpoint, String reason) {
    super(service, endpoint, reason, null);
  }
}

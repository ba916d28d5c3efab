package dev.meshwork.core.exception;

import dev.meshwork.core.ServiceName;

/**
 * The service's circuit breaker refused the call without sending it, because recent calls failed
 * too often ({@code OPEN}) or the few probe calls of {@code HALF_OPEN} are already under way.
 */
public final class CircuitOpenException extends MeshException {
  private static final long serialVersionUID = 1L;

  private final String state;

  public CircuitOpenException(ServiceName service, String state, String reason) {
    super(service, null, "circuit breaker " + state + ": " + reason, null);
    this.state = state;
  }

  /**
   * The breaker's state when it refused the call, for example {@code OPEN} or {@code HALF_OPEN}.
   */
  public String state() {
    return state;
  }
}

package dev.meshwork.core.exception;

import dev.meshwork.core.ServiceName;

/**
 * A route's fault injection aborted the call on purpose, before it reached a backend: a chaos
 * rehearsal, not a real failure. The message names the service, the route and the fault.
 */
public final class FaultInjectedException extends MeshException {
  private static final long serialVersionUID = 1L;

  public FaultInjectedException(ServiceName service, String reason) {
    super(service, null, reason, null);
  }
}

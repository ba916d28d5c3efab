package dev.meshwork.core.exception;

import dev.meshwork.core.ServiceName;

/**
 * The service had no endpoint to send the call to: discovery has not answered yet, the service has
 * no instances, or none of them may take traffic. The message says which.
 */
public final class NoHealthyEndpointsException extends MeshException {
  private static final long serialVersionUID = 1L;

  public NoHealthyEndpointsException(ServiceName service, String reason) {
    super(service, null, reason, null);
  }
}

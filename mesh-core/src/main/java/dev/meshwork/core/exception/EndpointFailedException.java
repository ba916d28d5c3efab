package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import java.io.IOException;

/**
 * The attempt on one endpoint failed with an I/O error (connection refused, reset, timeout, ...).
 * The transport's original exception is the {@linkplain #getCause() cause}; the message adds the
 * service and the endpoint the transport's own message does not know.
 */
public final class EndpointFailedException extends MeshException {
  private static final long serialVersionUID = 1L;

  public EndpointFailedException(ServiceName service, Endpoint endpoint, IOException cause) {
    super(service, endpoint, reasonOf(cause), cause);
  }

  private static String reasonOf(IOException cause) {
    String message = cause.getMessage();
    String type = cause.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}

package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import java.io.IOException;

/**
 * A call through the mesh failed. Subclasses say why; every message names the service, the endpoint
 * when one was involved, and the reason, for example {@code service 'mathoid' endpoint
 * 10.0.4.7:10044: connection refused}.
 *
 * <p>It is an {@link IOException} because that is what HTTP clients such as OkHttp promise their
 * callers; code that already handles I/O failures handles mesh failures too.
 */
public abstract class MeshException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ServiceName service;
  private final transient Endpoint endpoint;

  protected MeshException(ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(describe(service, endpoint, reason), cause);
    this.service = service;
    this.endpoint = endpoint;
  }

  /** The service the call was addressed to. */
  public ServiceName service() {
    return service;
  }

  /**
   * The endpoint involved, or {@code null} when the call failed before one was picked (or when a
   * hedged call's deadline passed with attempts at several: see {@link
   * DeadlineExceededException#endpoints()}).
   */
  public Endpoint endpoint() {
    return endpoint;
  }

  private static String describe(ServiceName service, Endpoint endpoint, String reason) {
    StringBuilder text = new StringBuilder("service '").append(service).append('\'');
    if (endpoint != null) {
      text.append(" endpoint ").append(endpoint.address());
    }
    return text.append(": ").append(reason).toString();
  }
}

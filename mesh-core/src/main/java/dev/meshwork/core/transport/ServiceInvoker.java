package dev.meshwork.core.transport;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.security.ClientTls;
import java.io.IOException;

/**
 * The entry point a transport uses to send a logical call to one service through the mesh's
 * pipeline. Obtain it with {@link dev.meshwork.core.spi.TransportContext#invoker(String)}; it is
 * cheap to look up per call and safe to share.
 */
public interface ServiceInvoker {

  /** The service this invoker sends to. */
  ServiceName service();

  /**
   * How to secure connections to the service's endpoints, or {@code null} when the service is
   * configured for plaintext. A transport must not connect without it when it is set.
   */
  ClientTls clientTls();

  /**
   * Runs the logical call through the pipeline: resolve endpoints, pick one, send through {@code
   * exchange}, record the outcome.
   *
   * @return the response of the attempt the pipeline settled on
   * @throws dev.meshwork.core.exception.MeshException when the mesh could not complete the call;
   *     the message names the service, the endpoint and the reason
   */
  <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException;
}

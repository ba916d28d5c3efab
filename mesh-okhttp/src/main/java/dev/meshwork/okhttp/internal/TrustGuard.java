package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import java.io.IOException;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The network interceptor that shows each mesh exchange's connection to its service's {@link
 * TlsDial} before the request is written, so a connection that no longer verifies after a change of
 * trust anchors (or of the CA of this workload's certificate) is never used again; and that, when
 * an exchange fails on a connection, retires the transport's other connections to that endpoint
 * ({@link PeerConnections}). Placed last among network interceptors; does nothing for calls that
 * are not mesh attempts.
 */
final class TrustGuard implements Interceptor {
  private final PeerConnections connections = new PeerConnections();

  @Override
  public Response intercept(Chain chain) throws IOException {
    Connection connection = chain.connection();
    if (connection == null || chain.request().tag(Endpoint.class) == null) {
      return chain.proceed(chain.request()); // not a mesh attempt
    }
    TlsDial dial = chain.request().tag(TlsDial.class);
    if (dial != null) {
      dial.admit(connection);
    }
    connections.used(connection);
    try {
      return chain.proceed(chain.request());
    } catch (IOException e) {
      connections.failed(connection, e, chain.call().isCanceled());
      throw e;
    }
  }
}

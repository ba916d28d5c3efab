package dev.meshwork.okhttp.internal;

import java.io.IOException;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * The network interceptor that shows each mesh exchange's connection to its service's {@link
 * TlsDial} before the request is written, so a connection that no longer verifies after a change of
 * trust anchors (or of the CA of this workload's certificate) is never used again. Placed last
 * among network interceptors; does nothing for calls that are not mesh attempts over TLS.
 */
final class TrustGuard implements Interceptor {
  @Override
  public Response intercept(Chain chain) throws IOException {
    TlsDial dial = chain.request().tag(TlsDial.class);
    Connection connection = chain.connection();
    if (dial != null && connection != null) {
      dial.admit(connection);
    }
    return chain.proceed(chain.request());
  }
}

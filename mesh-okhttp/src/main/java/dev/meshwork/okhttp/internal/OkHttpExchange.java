package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.transport.AttemptContext;
import dev.meshwork.core.transport.Exchange;
import java.io.IOException;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends one attempt of a logical OkHttp call to a picked endpoint: the URL's host and port are
 * replaced by the endpoint's, and the {@code Host} header keeps the logical authority (as Envoy
 * does), so the backend still sees which service was asked for. The endpoint is attached as a
 * request tag for network interceptors and event listeners. For a service with mutual TLS the
 * attempt is made over HTTPS whatever the logical URL's scheme, with the service's TLS settings:
 * the logical {@code http://mathoid/} never reaches the network as plaintext.
 */
final class OkHttpExchange implements Exchange<Response> {
  private final Interceptor.Chain chain;
  private final TlsDial tls;
  private final Request logical;
  private final String hostHeader;
  private final String scheme;

  /** @param tls how to secure the service's connections, or {@code null} for plaintext */
  OkHttpExchange(Interceptor.Chain chain, TlsDial tls) {
    this.chain = tls == null ? chain : tls.apply(chain);
    this.tls = tls;
    this.scheme = tls == null ? chain.request().url().scheme() : "https";
    this.logical = chain.request();
    String userHost = logical.header("Host");
    this.hostHeader = userHost != null ? userHost : authority(logical.url());
  }

  @Override
  public Response send(Endpoint endpoint, AttemptContext attempt) throws IOException {
    HttpUrl physical = logical.url().newBuilder()
        .scheme(scheme).host(endpoint.host()).port(endpoint.port()).build();
    Request.Builder request = logical.newBuilder()
        .url(physical)
        .header("Host", hostHeader)
        .tag(Endpoint.class, endpoint);
    if (tls != null) {
      request.tag(TlsDial.class, tls); // for TrustGuard, which sees the connection
    }
    return chain.proceed(request.build());
  }

  @Override
  public int status(Response response) {
    return response.code();
  }

  @Override
  public void discard(Response response) {
    response.close();
  }

  private static String authority(HttpUrl url) {
    return url.port() == HttpUrl.defaultPort(url.scheme()) ? url.host() : url.host() + ":" + url.port();
  }
}

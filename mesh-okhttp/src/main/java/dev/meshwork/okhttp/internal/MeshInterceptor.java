package dev.meshwork.okhttp.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The application interceptor that hands calls for mesh services to the pipeline. It runs last
 * among application interceptors; each physical attempt it makes goes through the rest of OkHttp
 * (network interceptors, the pool) as a call to the picked endpoint. Calls to other hosts go on
 * with the wrapped client's own pool, sockets and connection retry.
 */
final class MeshInterceptor implements Interceptor {
  private final TransportContext mesh;
  private final OkHttpClient direct;
  private final Runnable evictIdle;
  private final Map<ServiceName, TlsDial> tlsByService;
  private final EndpointUrls urls;

  /** {@code null}: calls to other hosts go on as the client is configured. */
  private final PassThrough passThrough;

  /**
   * How a wrapped client called hosts that are not services before it was wrapped: calls to them
   * keep these, while the client itself carries the mesh's pool, sockets and no OkHttp retry.
   */
  record PassThrough(
      boolean retryOnConnectionFailure, ConnectionPool pool, SocketFactory socketFactory) {
    static PassThrough of(OkHttpClient client) {
      return new PassThrough(
          client.retryOnConnectionFailure(), client.connectionPool(), client.socketFactory());
    }
  }

  /**
   * @param direct a client on the mesh's pool without this interceptor, for hedged attempts and
   *     probes
   * @param evictIdle closes the shared pool's idle connections
   */
  MeshInterceptor(TransportContext mesh, OkHttpClient direct, Runnable evictIdle) {
    this(mesh, direct, evictIdle, new ConcurrentHashMap<>(), new EndpointUrls(), null);
  }

  private MeshInterceptor(
      TransportContext mesh,
      OkHttpClient direct,
      Runnable evictIdle,
      Map<ServiceName, TlsDial> tlsByService,
      EndpointUrls urls,
      PassThrough passThrough) {
    this.mesh = mesh;
    this.direct = direct;
    this.evictIdle = evictIdle;
    this.tlsByService = tlsByService;
    this.urls = urls;
    this.passThrough = passThrough;
  }

  /**
   * This interceptor for one wrapped client: the same mesh state, and {@code passThrough} for other
   * hosts.
   */
  MeshInterceptor forClient(PassThrough passThrough) {
    return new MeshInterceptor(mesh, direct, evictIdle, tlsByService, urls, passThrough);
  }

  /** Whether {@code other} is this interceptor or one of its {@link #forClient} copies. */
  boolean sameTransport(MeshInterceptor other) {
    return other.tlsByService == tlsByService;
  }

  PassThrough passThrough() {
    return passThrough;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ServiceInvoker invoker = mesh.invoker(request.url().host());
    if (invoker == null) {
      mesh.admitUnknownHost(request.url().host());
      return passThrough == null
          ? chain.proceed(request)
          : chain
              .withRetryOnConnectionFailure(passThrough.retryOnConnectionFailure())
              .withConnectionPool(passThrough.pool())
              .withSocketFactory(passThrough.socketFactory())
              .proceed(request);
    }
    Response response =
        invoker.invoke(
            new OkHttpMeshRequest(request),
            new OkHttpExchange(chain, tlsDial(invoker), direct, urls));
    return NamingBody.wrap(response, invoker.service());
  }

  /**
   * The service's TLS settings for OkHttp, or {@code null} for a plaintext service (or none). Built
   * once per client TLS: a config swap that keeps the service's peer identities keeps its client
   * TLS, and so its socket factory and pooled connections; one that changes them gets a new one.
   */
  TlsDial tlsDial(ServiceInvoker invoker) {
    ClientTls tls = invoker == null ? null : invoker.clientTls();
    if (tls == null) {
      return null;
    }
    TlsDial dial = tlsByService.get(invoker.service());
    if (dial == null || !dial.dials(tls)) {
      dial =
          tlsByService.compute(
              invoker.service(),
              (name, known) ->
                  known != null && known.dials(tls)
                      ? known
                      : new TlsDial(name.value(), tls, evictIdle));
    }
    return dial;
  }
}

package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.security.ClientTls;
import dev.meshwork.core.transport.ServiceInvoker;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The application interceptor that hands calls for mesh services to the pipeline. It runs last
 * among application interceptors; each physical attempt it makes goes through the rest of OkHttp
 * (network interceptors, the pool) as a call to the picked endpoint.
 */
final class MeshInterceptor implements Interceptor {
  private final Mesh mesh;
  private final OkHttpClient direct;
  private final Runnable evictIdle;
  private final Map<ServiceName, TlsDial> tlsByService = new ConcurrentHashMap<>();
  private final EndpointUrls urls = new EndpointUrls();

  /**
   * @param direct a client on the mesh's pool without this interceptor, for hedged attempts and probes
   * @param evictIdle closes the shared pool's idle connections
   */
  MeshInterceptor(Mesh mesh, OkHttpClient direct, Runnable evictIdle) {
    this.mesh = mesh;
    this.direct = direct;
    this.evictIdle = evictIdle;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ServiceInvoker invoker = mesh.invoker(request.url().host());
    if (invoker == null) {
      mesh.admitUnknownHost(request.url().host());
      return chain.proceed(request);
    }
    return invoker.invoke(new OkHttpMeshRequest(request), new OkHttpExchange(chain, tlsDial(invoker), direct, urls));
  }

  /** The service's TLS settings for OkHttp, or {@code null} for a plaintext service; built once per service. */
  TlsDial tlsDial(ServiceInvoker invoker) {
    ClientTls tls = invoker.clientTls();
    return tls == null ? null
        : tlsByService.computeIfAbsent(invoker.service(), name -> new TlsDial(name.value(), tls, evictIdle));
  }
}

package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.transport.ServiceInvoker;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The application interceptor that hands calls for mesh services to the pipeline. It runs last
 * among application interceptors; each physical attempt it makes goes through the rest of OkHttp
 * (network interceptors, the pool) as a call to the picked endpoint.
 */
final class MeshInterceptor implements Interceptor {
  private final Mesh mesh;

  MeshInterceptor(Mesh mesh) {
    this.mesh = mesh;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ServiceInvoker invoker = mesh.invoker(request.url().host());
    if (invoker == null) {
      return chain.proceed(request);
    }
    return invoker.invoke(new OkHttpMeshRequest(request), new OkHttpExchange(chain));
  }
}

package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Sends active health-check probes over the mesh's own pool and dispatcher, straight to the
 * endpoint (no mesh pipeline: a probe must not be retried, balanced or counted as traffic), over
 * the service's mutual TLS when it has it, with the logical {@code Host} of the service.
 */
final class OkHttpHealthProber implements HealthProber {
  private final TransportContext mesh;
  private final MeshInterceptor interceptor;
  private final OkHttpClient direct;

  /**
   * @param direct a client on the mesh's pool without the mesh interceptor
   */
  OkHttpHealthProber(TransportContext mesh, MeshInterceptor interceptor, OkHttpClient direct) {
    this.mesh = mesh;
    this.interceptor = interceptor;
    this.direct = direct;
  }

  @Override
  public CompletionStage<Integer> probe(
      ServiceName service, Endpoint endpoint, String path, Duration timeout) {
    ServiceInvoker invoker = mesh.invoker(service.value());
    if (invoker == null) {
      // A config swap removed the service while its round was starting; its checks have stopped.
      return CompletableFuture.failedFuture(
          new IOException("service '" + service + "' is no longer in the mesh"));
    }
    TlsDial tls = interceptor.tlsDial(invoker);
    OkHttpClient.Builder client = direct.newBuilder().callTimeout(timeout);
    if (tls != null) {
      tls.applyTo(client);
    }
    int query = path.indexOf('?');
    HttpUrl url =
        new HttpUrl.Builder()
            .scheme(tls == null ? "http" : "https")
            .host(endpoint.host())
            .port(endpoint.port())
            .encodedPath(query < 0 ? path : path.substring(0, query))
            .encodedQuery(query < 0 ? null : path.substring(query + 1))
            .build();
    Request request =
        new Request.Builder()
            .url(url)
            .header("Host", service.value())
            .header("User-Agent", "meshwork-health-check")
            .build();
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client
        .build()
        .newCall(request)
        .enqueue(
            new Callback() {
              @Override
              public void onFailure(Call call, IOException e) {
                status.completeExceptionally(e);
              }

              @Override
              public void onResponse(Call call, Response response) {
                try (response) {
                  status.complete(response.code());
                }
              }
            });
    return status;
  }
}

package dev.meshwork.okhttp;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.okhttp.internal.SharedTransport;
import java.util.function.Consumer;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import retrofit2.Retrofit;

/**
 * The OkHttp transport of a {@link Mesh}: every client it creates or wraps shares one dispatcher,
 * and sends calls addressed to {@code http://<service>/...} through the mesh's pipeline on one
 * shared connection pool. Calls to hosts that are not mesh services leave the mesh (a wrapped
 * client's on its own pool; see {@link #wrap}), unless the mesh's {@link
 * dev.meshwork.core.MeshBuilder.UnknownHostPolicy} refuses them as a mistyped service (the default
 * when the mesh has an identity; {@code localhost} and IP literals always pass).
 *
 * <pre>{@code
 * MeshOkHttp http = MeshOkHttp.of(mesh);
 * OkHttpClient client = http.wrap(existingClient);      // keeps its interceptors and timeouts
 * MathoidApi mathoid = http.create(MathoidApi.class);  // a @MeshService Retrofit interface
 * }</pre>
 *
 * <p>OkHttp's own silent retry of failed connections is switched off for calls to mesh services:
 * the mesh owns retries. The transport lives as long as the mesh and is closed with it.
 *
 * <p>With mutual TLS, connections offer {@code h2} and {@code http/1.1} by ALPN: an endpoint that
 * speaks HTTP/2 carries all its calls on one multiplexed connection. When the trust bundle changes,
 * pooled connections whose peers no longer verify are retired and idle ones evicted.
 */
public final class MeshOkHttp {
  private final SharedTransport transport;

  private MeshOkHttp(SharedTransport transport) {
    this.transport = transport;
  }

  /** The transport of {@code mesh}; the same pool and dispatcher on every call. */
  public static MeshOkHttp of(Mesh mesh) {
    return new MeshOkHttp(MeshTransports.attach(mesh, SharedTransport.class, SharedTransport::new));
  }

  /**
   * A client with the mesh's defaults: connect timeout 5 s, no OkHttp-level retry, the shared pool
   * and dispatcher, and the transport's sockets, whose reads block in the kernel while a watchdog
   * enforces read timeouts of 100 ms or more. Derive variants with {@code client().newBuilder()};
   * they keep sharing.
   */
  public OkHttpClient client() {
    return transport.baseClient();
  }

  /**
   * {@code client} with the mesh's pool, dispatcher and pipeline, and the transport's sockets
   * unless the client has a socket factory of its own. Everything else the client was configured
   * with (interceptors, timeouts, event listener, cookie jar, ...) is kept. The mesh pipeline runs
   * after the client's own application interceptors, so they see each logical call once, and before
   * its network interceptors, so they see each physical attempt.
   *
   * <p>Calls to hosts that are not mesh services keep the client's own connection pool, socket
   * factory and {@code retryOnConnectionFailure}. One thing changes for them too: the returned
   * client's dispatcher is the mesh's, so its asynchronous calls ({@code enqueue}) to any host run
   * on the mesh's threads under its limits (1024 in all and 1024 per host, where OkHttp's default
   * is 64 and 5), and {@code client.dispatcher().cancelAll()} on the original does not reach them.
   * Synchronous calls are not limited by a dispatcher either way.
   */
  public OkHttpClient wrap(OkHttpClient client) {
    return transport.wrap(client);
  }

  /**
   * A client for the Retrofit interface {@code api}, which must be annotated with {@link
   * MeshService} naming a configured service.
   *
   * @throws IllegalArgumentException when the annotation is missing or names an unknown service
   */
  public <T> T create(Class<T> api) {
    return create(api, builder -> {});
  }

  /**
   * Like {@link #create(Class)}, letting {@code customizer} add converters and call adapters, for
   * example {@code b -> b.addConverterFactory(JacksonConverterFactory.create())}.
   */
  public <T> T create(Class<T> api, Consumer<Retrofit.Builder> customizer) {
    return RetrofitClients.create(transport, api, customizer);
  }

  /** The pool every client of this mesh shares. */
  public ConnectionPool connectionPool() {
    return transport.connectionPool();
  }

  /** The dispatcher every client of this mesh shares. */
  public Dispatcher dispatcher() {
    return transport.dispatcher();
  }
}

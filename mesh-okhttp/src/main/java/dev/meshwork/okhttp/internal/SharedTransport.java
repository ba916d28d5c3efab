package dev.meshwork.okhttp.internal;

import dev.meshwork.core.spi.MeshThreads;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * One mesh's OkHttp plumbing: the connection pool, the dispatcher and the interceptor that hands
 * calls to the pipeline. Attached to the mesh ({@code MeshTransports.attach}), so there is exactly
 * one per mesh and it is closed with the mesh.
 */
public final class SharedTransport implements AutoCloseable {
  /** Idle connections kept across all endpoints; a mesh talks to many more hosts than a browser. */
  static final int MAX_IDLE_CONNECTIONS = 256;

  /**
   * Idle connections are closed after 30 s: shorter than common server keep-alive timeouts (nginx
   * 75 s, HAProxy and Envoy longer), so the pool rarely hands out a connection the server has
   * already closed.
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

  /**
   * How late the pool's cleanup may run: a connection over the idle limit is closed within this
   * (keep-alive expiry stays on time). In exchange no thread is woken when a call ends.
   */
  static final Duration CLEANUP_LAG = Duration.ofSeconds(1);

  /** The dispatcher's async limits; the mesh's own concurrency limits are the real bound. */
  static final int MAX_ASYNC_REQUESTS = 1024;

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final TransportContext mesh;
  private final ExecutorService executor;
  private final TransportPool transportPool;
  private final Dispatcher dispatcher;
  private final MeshInterceptor interceptor;
  private final TrustGuard trustGuard = new TrustGuard();
  private final BlockingReadSocketFactory socketFactory =
      new BlockingReadSocketFactory(new ReadWatchdog("meshwork-read-watchdog"));
  private final OkHttpClient baseClient;
  private final List<Meter> meters;

  public SharedTransport(TransportContext mesh) {
    this.mesh = mesh;
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            MeshThreads.named("meshwork-okhttp"));
    this.transportPool =
        TransportPool.create(
            MAX_IDLE_CONNECTIONS, KEEP_ALIVE, CLEANUP_LAG, "meshwork-pool-cleanup");
    ConnectionPool pool = transportPool.pool();
    this.dispatcher = new Dispatcher(executor);
    dispatcher.setMaxRequests(MAX_ASYNC_REQUESTS);
    // OkHttp counts per URL host, which is the service name here: 5 (its default) would throttle a
    // whole service.
    dispatcher.setMaxRequestsPerHost(MAX_ASYNC_REQUESTS);
    OkHttpClient direct =
        new OkHttpClient.Builder()
            .connectionPool(pool)
            .dispatcher(dispatcher)
            .retryOnConnectionFailure(false)
            .connectTimeout(CONNECT_TIMEOUT)
            .socketFactory(socketFactory)
            .addNetworkInterceptor(trustGuard)
            .build();
    this.interceptor = new MeshInterceptor(mesh, direct, pool::evictAll);
    this.baseClient = direct.newBuilder().addInterceptor(interceptor).build();
    mesh.useHealthProber(new OkHttpHealthProber(mesh, interceptor, direct));
    this.meters = mesh.telemetry().meterRegistry().map(this::poolGauges).orElse(List.of());
  }

  /** The pool's connections by state, named after the OpenTelemetry HTTP client convention. */
  private List<Meter> poolGauges(MeterRegistry registry) {
    return List.of(
        Gauge.builder(
                "http.client.open_connections",
                connectionPool(),
                p -> p.connectionCount() - p.idleConnectionCount())
            .tag("http.connection.state", "active")
            .description("Pooled connections carrying a call")
            .register(registry),
        Gauge.builder(
                "http.client.open_connections",
                connectionPool(),
                ConnectionPool::idleConnectionCount)
            .tag("http.connection.state", "idle")
            .description("Pooled connections waiting for a call")
            .register(registry));
  }

  public TransportContext context() {
    return mesh;
  }

  public OkHttpClient baseClient() {
    return baseClient;
  }

  public ConnectionPool connectionPool() {
    return transportPool.pool();
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The pool and how its cleanup runs; for tests. */
  TransportPool transportPool() {
    return transportPool;
  }

  /** Transport sockets connected and not yet closed; for tests. */
  int openSockets() {
    return socketFactory.watchdog().watchedCount();
  }

  /** {@code client} moved onto this transport; see {@code MeshOkHttp.wrap}. */
  public OkHttpClient wrap(OkHttpClient client) {
    if (isWrapped(client)) {
      return client;
    }
    MeshInterceptor previous = null;
    for (Interceptor existing : client.interceptors()) {
      if (existing instanceof MeshInterceptor stageFound) {
        previous = stageFound;
      }
    }
    // A client wrapped before lost its own settings to the mesh; its interceptor still has them.
    MeshInterceptor stage =
        previous == null
            ? interceptor.forClient(MeshInterceptor.PassThrough.of(client))
            : interceptor.sameTransport(previous)
                ? previous
                : interceptor.forClient(previous.passThrough());
    OkHttpClient.Builder builder =
        client
            .newBuilder()
            .connectionPool(connectionPool())
            .dispatcher(dispatcher)
            .retryOnConnectionFailure(false);
    // A factory of the application's own is kept: its sockets may do what ours cannot see. One
    // of another mesh's transport is replaced, so the client pools with this mesh's clients.
    SocketFactory current = client.socketFactory();
    if (current == SocketFactory.getDefault() || current instanceof BlockingReadSocketFactory) {
      builder.socketFactory(socketFactory);
    }
    // Wrapping twice, or wrapping a client of another mesh, must leave exactly one mesh stage,
    // last.
    builder.interceptors().removeIf(existing -> existing instanceof MeshInterceptor);
    builder.addInterceptor(stage);
    // Last among network interceptors: it vets the connection right before the request is written.
    builder.networkInterceptors().removeIf(existing -> existing instanceof TrustGuard);
    builder.addNetworkInterceptor(trustGuard);
    return builder.build();
  }

  private boolean isWrapped(OkHttpClient client) {
    var interceptors = client.interceptors();
    var network = client.networkInterceptors();
    return client.connectionPool() == connectionPool()
        && !network.isEmpty()
        && network.get(network.size() - 1) == trustGuard
        && client.dispatcher() == dispatcher
        && !client.retryOnConnectionFailure()
        && !interceptors.isEmpty()
        && interceptors.get(interceptors.size() - 1) instanceof MeshInterceptor last
        && interceptor.sameTransport(last)
        && interceptors.stream().filter(i -> i instanceof MeshInterceptor).count() == 1;
  }

  /** Lets calls in flight finish, accepts no new async calls, and closes idle connections. */
  @Override
  public void close() {
    executor.shutdown();
    // Emptying the pool cancels its cleanup, whose thread then ends within the lag. The cleanup's
    // threads are not shut down: calls still in flight, or a wrapped client used after close,
    // give connections back to this pool, and those must still expire.
    connectionPool().evictAll();
    mesh.telemetry().meterRegistry().ifPresent(registry -> meters.forEach(registry::remove));
  }

  @Override
  public String toString() {
    return "MeshOkHttp transport";
  }
}

package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.internal.concurrent.Task;
import okhttp3.internal.concurrent.TaskQueue;
import okhttp3.internal.concurrent.TaskRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's pool cleans up without a thread woken per call, and still closes what it must:
 * connections idle past their keep-alive, and those over the idle limit.
 */
class TransportPoolTest {
  private final List<MockWebServer> servers = new ArrayList<>();
  private final List<ConnectionPool> pools = new ArrayList<>();

  @AfterEach
  void stop() {
    pools.forEach(ConnectionPool::evictAll);
    servers.forEach(MockWebServer::close);
  }

  @Test
  void endedCallsDoNotWakeTheCleanup() throws Exception {
    MockWebServer server = server(60);
    try (Mesh mesh = Mesh.builder().build()) {
      SharedTransport transport =
          MeshTransports.attach(mesh, SharedTransport.class, SharedTransport::new);
      LazyCleanupBackend cleanup =
          transport
              .transportPool()
              .lazyCleanup()
              .orElseThrow(
                  () -> new AssertionError("this OkHttp should take the transport's pool cleanup"));
      OkHttpClient client = transport.baseClient();
      call(client, server); // the cleanup's coordinator starts with the first pooled connection
      long waitsBefore = cleanup.coordinatorWaits();
      long start = System.nanoTime();

      for (int i = 1; i < 60; i++) {
        call(client, server);
      }

      long waits = cleanup.coordinatorWaits() - waitsBefore;
      long lags = (System.nanoTime() - start) / SharedTransport.CLEANUP_LAG.toNanos();
      // At most two sleeps per lag (a call ending while the cleanup runs starts a second thread,
      // which may coordinate meanwhile). Waking on every ended call, as OkHttp's runner does,
      // would be about 59.
      assertTrue(
          waits <= 2 * lags + 3,
          "cleanup slept " + waits + " times over " + lags + " lags of 59 calls");
      assertTrue(cleanup.coordinatorWaits() >= 1, "the cleanup's coordinator never ran");
      assertEquals(1, transport.connectionPool().connectionCount());
    }
  }

  @Test
  void closingTheMeshLetsItsCleanupThreadEnd() throws Exception {
    Set<Thread> started;
    try (Mesh mesh = Mesh.builder().build()) {
      SharedTransport transport =
          MeshTransports.attach(mesh, SharedTransport.class, SharedTransport::new);
      call(transport.baseClient(), server(1));
      started = transport.transportPool().lazyCleanup().orElseThrow().liveThreads();
      assertFalse(started.isEmpty(), "a pooled connection starts the transport's cleanup thread");
    }

    // Within the lag the thread sees the emptied pool, then the short idle keep-alive lets it
    // go; OkHttp's own 60 s keep-alive would outlast this wait.
    for (Thread thread : started) {
      thread.join(30_000);
      assertFalse(thread.isAlive(), thread.getName() + " outlived its closed mesh");
    }
  }

  @Test
  void aConnectionIdlePastItsKeepAliveIsClosedNoSoonerThanThat() throws Exception {
    Duration keepAlive = Duration.ofMillis(300);
    ConnectionPool pool = lazyPool(5, keepAlive, Duration.ofMillis(100));
    ClosingSockets sockets = new ClosingSockets(1);
    OkHttpClient client =
        new OkHttpClient.Builder().connectionPool(pool).socketFactory(sockets).build();
    MockWebServer server = server(1);
    long beforeCall = System.nanoTime(); // OkHttp's idle clock starts later, inside the call

    call(client, server);
    assertEquals(1, pool.connectionCount(), "pooled after the call");

    assertTrue(sockets.closed.await(30, TimeUnit.SECONDS), "the idle connection was never closed");
    long idleNanos = System.nanoTime() - beforeCall;
    assertTrue(
        idleNanos >= keepAlive.toNanos(),
        "closed after " + idleNanos + " ns, before its keep-alive");
    assertEquals(0, pool.connectionCount());
  }

  /** The one test that fails if the lag stops bounding the coordinator's sleep (5 minutes here). */
  @Test
  void connectionsOverTheIdleLimitAreClosedWithinTheLag() throws Exception {
    ConnectionPool pool = lazyPool(1, Duration.ofMinutes(5), Duration.ofMillis(100));
    ClosingSockets sockets = new ClosingSockets(2);
    OkHttpClient client =
        new OkHttpClient.Builder().connectionPool(pool).socketFactory(sockets).build();

    for (int i = 0; i < 3; i++) {
      call(client, server(1)); // three servers: three connections, each idle after its call
    }

    assertTrue(
        sockets.closed.await(30, TimeUnit.SECONDS),
        "the pool kept more idle connections than its limit");
    assertEquals(1, pool.connectionCount());
  }

  @Test
  void anOkHttpWithoutTheInternalApiGetsItsOrdinaryPool() throws Exception {
    TransportPool pool =
        TransportPool.create(
            5,
            Duration.ofMinutes(1),
            Duration.ofSeconds(1),
            "test-pool-cleanup",
            (maxIdle, keepAlive, lag, name) -> {
              throw new NoClassDefFoundError("okhttp3/internal/concurrent/TaskRunner$Backend");
            });
    pools.add(pool.pool());
    OkHttpClient client = new OkHttpClient.Builder().connectionPool(pool.pool()).build();

    call(client, server(1));

    assertFalse(pool.lazyCleanup().isPresent());
    assertEquals(1, pool.pool().connectionCount(), "the ordinary pool pools");
  }

  @Test
  void anInterruptedCoordinatorCancelsItsTasksAsOkHttpsOwnDoes() {
    LazyCleanupBackend backend =
        LazyCleanupBackend.newPool(
                1, Duration.ofMinutes(1), Duration.ofSeconds(2), "test-pool-cleanup")
            .backend();
    TaskRunner runner = new TaskRunner(backend, TaskRunner.Companion.getLogger());
    TaskQueue queue = runner.newQueue();
    queue.schedule(
        new Task("far off", true) {
          @Override
          public long runOnce() {
            return -1;
          }
        },
        TimeUnit.HOURS.toNanos(1));

    synchronized (runner) {
      Thread.currentThread().interrupt();
      backend.coordinatorWait(runner, TimeUnit.HOURS.toNanos(1));
    }

    assertTrue(queue.getScheduledTasks().isEmpty(), "the interrupt cancels the runner's tasks");
    assertFalse(
        Thread.interrupted(), "swallowed, as OkHttp's runner does, so the next wait does not spin");
  }

  private MockWebServer server(int responses) throws IOException {
    MockWebServer server = new MockWebServer();
    servers.add(server);
    server.start(InetAddress.getLoopbackAddress(), 0);
    for (int i = 0; i < responses; i++) {
      server.enqueue(new MockResponse.Builder().body("ok").build());
    }
    return server;
  }

  private ConnectionPool lazyPool(int maxIdle, Duration keepAlive, Duration lag) {
    TransportPool pool = TransportPool.create(maxIdle, keepAlive, lag, "test-pool-cleanup");
    assertTrue(
        pool.lazyCleanup().isPresent(), "this OkHttp should take the transport's pool cleanup");
    pools.add(pool.pool());
    return pool.pool();
  }

  private static void call(OkHttpClient client, MockWebServer server) throws IOException {
    try (Response response =
        client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
      assertEquals("ok", response.body().string());
    }
  }

  /**
   * Plain sockets that count down a latch when closed, so a test can wait for the pool to close
   * one.
   */
  private static final class ClosingSockets extends SocketFactory {
    final CountDownLatch closed;

    ClosingSockets(int closes) {
      this.closed = new CountDownLatch(closes);
    }

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public synchronized void close() throws IOException {
          boolean wasOpen = !isClosed();
          super.close();
          if (wasOpen) {
            closed.countDown();
          }
        }
      };
    }

    @Override
    public Socket createSocket(String host, int port) {
      throw new UnsupportedOperationException("OkHttp connects an unconnected socket");
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
      throw new UnsupportedOperationException("OkHttp connects an unconnected socket");
    }

    @Override
    public Socket createSocket(InetAddress host, int port) {
      throw new UnsupportedOperationException("OkHttp connects an unconnected socket");
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) {
      throw new UnsupportedOperationException("OkHttp connects an unconnected socket");
    }
  }
}

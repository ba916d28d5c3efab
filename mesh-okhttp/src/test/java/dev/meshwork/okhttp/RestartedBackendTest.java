package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backend process that died and came back on its port leaves the pool's connections to it dead,
 * and OkHttp only finds out by using one (it probes pooled connections only after 10 s idle, and
 * only for other methods than GET). When one of them fails, the others to that endpoint are
 * retired, so the call's retry makes a new connection instead of meeting the next dead one.
 */
class RestartedBackendTest {
  private static final int CONNECTIONS = 3;

  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final ExecutorService callers = Executors.newFixedThreadPool(CONNECTIONS);
  private final List<HttpServer> servers = new ArrayList<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    servers.forEach(server -> server.stop(0));
    handlers.shutdownNow();
    callers.shutdownNow();
  }

  private HttpServer start(int port) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.setExecutor(handlers);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            gate.await(10, TimeUnit.SECONDS);
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    servers.add(server);
    return server;
  }

  @Test
  void aRetryAfterADeadPooledConnectionDoesNotMeetTheNextDeadOne() throws Exception {
    HttpServer first = start(0);
    int port = first.getAddress().getPort();
    mesh =
        Mesh.builder()
            .service("orders", s -> s.endpoints("127.0.0.1:" + port)) // default: 2 attempts
            .build();
    MeshOkHttp http = MeshOkHttp.of(mesh);
    AtomicInteger connects = new AtomicInteger();
    OkHttpClient client =
        http.client()
            .newBuilder()
            .eventListener(
                new EventListener() {
                  @Override
                  public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
                    connects.incrementAndGet();
                  }
                })
            .build();

    // Calls held at the same time leave that many connections in the pool.
    gate = new CountDownLatch(1);
    List<CompletableFuture<Integer>> held = new ArrayList<>();
    for (int i = 0; i < CONNECTIONS; i++) {
      // A thread each: the common pool may run them one at a time (one worker on two cores).
      held.add(CompletableFuture.supplyAsync(() -> status(client), callers));
    }
    Backends.await(
        () -> http.connectionPool().connectionCount() == CONNECTIONS,
        java.time.Duration.ofSeconds(10),
        () -> CONNECTIONS + " connections, have " + http.connectionPool().connectionCount());
    gate.countDown();
    for (CompletableFuture<Integer> call : held) {
      assertEquals(200, call.get(10, TimeUnit.SECONDS));
    }
    assertEquals(CONNECTIONS, http.connectionPool().idleConnectionCount());

    first.stop(0); // the process dies: every connection closed
    start(port); // and comes back on its port
    connects.set(0);

    assertEquals(200, status(client), "the retry made a new connection");
    assertEquals(200, status(client), "and the next call used it, not another dead one");
    assertEquals(1, connects.get(), "connections made after the restart");
  }

  private static int status(OkHttpClient client) {
    try (Response response =
        client.newCall(new Request.Builder().url("http://orders/items").build()).execute()) {
      response.body().string();
      return response.code();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}

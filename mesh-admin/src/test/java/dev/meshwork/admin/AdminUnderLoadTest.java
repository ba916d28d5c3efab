package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A readiness probe keeps its answer while every other page is stuck: here /config renders block in
 * the discovery source's description (standing in for any slow page) and clients hold connections
 * by sending their headers slowly. Timeouts are hang guards only.
 */
class AdminUnderLoadTest {
  private static final Duration GUARD = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newHttpClient();

  /** Static endpoints whose description blocks, once armed, until released. */
  private static final class GatedDiscovery implements DiscoverySource {
    private final StaticDiscovery endpoints = StaticDiscovery.of(Endpoint.of("127.0.0.1", 9002));
    final Semaphore entered = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean armed;

    @Override
    public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
      return endpoints.watch(service, listener, context);
    }

    @Override
    public String describe() {
      if (armed) {
        entered.release();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return "gated";
    }
  }

  private CompletableFuture<HttpResponse<String>> get(Mesh mesh, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(MeshAdmins.of(mesh).uri().resolve(path)).timeout(GUARD).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyAnswersWhileOtherPagesAndSlowClientsHoldTheirThreads() throws Exception {
    GatedDiscovery discovery = new GatedDiscovery();
    List<Socket> slowClients = new ArrayList<>();
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder().decisions(256).service("mathoid", s -> s.discovery(discovery)).build(),
            AdminOptions.builder().port(0).build())) {
      assertTrue(mesh.awaitDiscovery(GUARD));
      discovery.armed = true;
      List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        stuck.add(get(mesh, "/config"));
      }
      assertTrue(
          discovery.entered.tryAcquire(2, GUARD.toSeconds(), TimeUnit.SECONDS),
          "two /config renders block");
      InetSocketAddress admin = MeshAdmins.of(mesh).address();
      for (int i = 0; i < 3; i++) {
        Socket socket = new Socket(admin.getAddress(), admin.getPort());
        slowClients.add(socket);
        OutputStream out = socket.getOutputStream();
        out.write(
            "GET /clusters HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.ISO_8859_1));
        out.flush(); // and never the blank line that ends the headers
      }

      HttpResponse<String> ready = get(mesh, "/ready").get(GUARD.toSeconds(), TimeUnit.SECONDS);
      assertEquals(200, ready.statusCode(), ready.body());
      assertEquals(
          200,
          get(mesh, "/").get(GUARD.toSeconds(), TimeUnit.SECONDS).statusCode(),
          "the dashboard too");

      // Two renders run and six may wait; a ninth page answers 503 at once instead of holding a
      // thread.
      for (int i = 0; i < 7; i++) {
        stuck.add(get(mesh, "/clusters"));
      }
      HttpResponse<?> first =
          (HttpResponse<?>)
              CompletableFuture.anyOf(stuck.toArray(CompletableFuture[]::new))
                  .get(GUARD.toSeconds(), TimeUnit.SECONDS);
      assertEquals(503, first.statusCode(), String.valueOf(first.body()));
      assertTrue(String.valueOf(first.body()).contains("busy"), String.valueOf(first.body()));

      discovery.release.countDown();
      int served = 0;
      for (CompletableFuture<HttpResponse<String>> page : stuck) {
        served += page.get(GUARD.toSeconds(), TimeUnit.SECONDS).statusCode() == 200 ? 1 : 0;
      }
      assertEquals(
          8,
          served,
          "the blocked renders and the waiting ones complete once the description returns");
    } finally {
      discovery.release.countDown();
      for (Socket socket : slowClients) {
        socket.close();
      }
    }
  }
}

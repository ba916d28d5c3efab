package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.ConcurrencyLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** The service's circuit breaker and concurrency limit refuse calls fast, against real servers. */
class AdmissionEndToEndTest {
  private static final Request GET = new Request.Builder().url("http://mathoid/render").build();

  @Test
  void theBreakerOpensOnAFailingBackendAndStopsItsTraffic() throws IOException {
    try (Backends backends = new Backends(1)) {
      backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
      // Outlier detection stays off (Backends.plain): with one endpoint it could only eject it into
      // panic mode.
      CircuitBreakerPolicy breaker =
          CircuitBreakerPolicy.builder()
              .minimumCalls(5)
              .failureRateThreshold(50)
              .openDuration(Duration.ofMinutes(1))
              .build();
      try (Mesh mesh =
          Mesh.builder()
              .service(
                  "mathoid", s -> Backends.plain(s, backends.address(0)).circuitBreaker(breaker))
              .build()) {
        OkHttpClient client = MeshOkHttp.of(mesh).client();
        for (int i = 0; i < 5; i++) {
          assertEquals(500, Backends.statusOf(client, GET), "judged call " + i);
        }
        for (int i = 0; i < 10; i++) {
          MeshException.CircuitOpen e =
              assertThrows(MeshException.CircuitOpen.class, () -> Backends.statusOf(client, GET));
          assertEquals("OPEN", e.state());
          assertTrue(
              e.getMessage().startsWith("service 'mathoid': circuit breaker OPEN: "),
              e.getMessage());
        }
        assertEquals(
            5, backends.requests(0), "calls refused by the open breaker never reach the backend");
      }
    }
  }

  @Test
  void aThirdConcurrentCallFailsFastAtMaxRequestsTwo() throws Exception {
    CountDownLatch arrived = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService handlers = Executors.newFixedThreadPool(4);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(handlers);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            arrived.countDown();
            if (!release.await(10, TimeUnit.SECONDS)) {
              exchange.sendResponseHeaders(504, -1);
              return;
            }
            exchange.sendResponseHeaders(200, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();
    try (Mesh mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s -> Backends.plain(s, address).limits(new ConcurrencyLimits(2, 0, 1024)))
            .build()) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      CompletableFuture<Integer> first = enqueue(client);
      CompletableFuture<Integer> second = enqueue(client);
      assertTrue(arrived.await(10, TimeUnit.SECONDS), "both calls are in flight on the backend");

      MeshException.ConcurrencyLimited e =
          assertThrows(
              MeshException.ConcurrencyLimited.class, () -> Backends.statusOf(client, GET));
      assertTrue(
          e.getMessage()
              .startsWith(
                  "service 'mathoid': limit reached: maxRequests 2 in flight and maxPending 0"),
          e.getMessage());

      release.countDown();
      assertEquals(200, first.get(10, TimeUnit.SECONDS));
      assertEquals(200, second.get(10, TimeUnit.SECONDS));
      assertEquals(200, Backends.statusOf(client, GET), "slots are given back when calls end");
    } finally {
      release.countDown();
      server.stop(0);
      handlers.shutdownNow();
    }
  }

  private static CompletableFuture<Integer> enqueue(OkHttpClient client) {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    client
        .newCall(GET)
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

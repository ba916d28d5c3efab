package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.MeshConfigurer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
 * Issue 22's load proof: 100 config swaps of a running mesh while 4 callers send 200 calls/s in
 * total to real HTTP backends through the real OkHttp transport. No call fails, each swap shows in
 * the first call after {@code apply} returns, and pooled connections survive the swaps.
 *
 * <p>Each swap moves the whole route between the blue and the green subset (100/0, whose backends
 * answer "blue" and "green"), and along the way changes retries and timeouts, reweights the static
 * endpoints (a new discovery source), and adds and removes a second service.
 */
class LiveConfigUnderLoadTest {
  private static final int SWAPS = 100;
  private static final int CALLERS = 4;
  private static final Duration CALL_PERIOD = Duration.ofMillis(20); // 4 x 50 calls/s
  private static final Duration SWAP_PERIOD = Duration.ofMillis(30);

  private final List<WireMockServer> servers = new ArrayList<>();
  private final ScheduledExecutorService callers = Executors.newScheduledThreadPool(CALLERS);
  private final ScheduledExecutorService swapper = Executors.newSingleThreadScheduledExecutor();
  private Mesh mesh;

  @AfterEach
  void stop() throws InterruptedException {
    callers.shutdownNow();
    swapper.shutdownNow();
    callers.awaitTermination(10, TimeUnit.SECONDS);
    swapper.awaitTermination(10, TimeUnit.SECONDS);
    if (mesh != null) {
      mesh.close();
    }
    servers.forEach(WireMockServer::stop);
  }

  private Endpoint backend(String answer, String color) {
    WireMockServer server =
        new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody(answer)));
    servers.add(server);
    return Endpoint.parse("127.0.0.1:" + server.port()).toBuilder().label("color", color).build();
  }

  /** Swap {@code swap}'s configuration: everything to {@code color}, and what else it changes. */
  private static List<ServiceConfig> config(
      int swap, String color, List<Endpoint> mathoid, Endpoint citoid) {
    List<Endpoint> endpoints = new ArrayList<>(mathoid);
    if (swap % 5 == 0) {
      endpoints.set(0, endpoints.get(0).toBuilder().weight(2 + swap % 3).build());
    }
    String other = color.equals("blue") ? "green" : "blue";
    ServiceConfig.Builder service =
        ServiceConfig.builder("mathoid")
            .endpoints(endpoints.toArray(Endpoint[]::new))
            .timeout(Duration.ofSeconds(5 + swap % 3))
            .retries(RetryPolicy.builder().maxAttempts(2 + swap % 2).build())
            .routes(
                RouteTable.builder()
                    .subset("blue", "color", "blue")
                    .subset("green", "color", "green")
                    .route("everything", r -> r.pathPrefix("/").split(color, 100).split(other, 0))
                    .build());
    List<ServiceConfig> services = new ArrayList<>(List.of(service.build()));
    if (swap % 10 >= 5) {
      services.add(ServiceConfig.builder("citoid").endpoints(citoid).build());
    }
    return services;
  }

  @Test
  void aHundredSwapsUnderLoadFailNoCallAndEachShowsInTheNextCall() throws Exception {
    List<Endpoint> endpoints =
        List.of(
            backend("blue", "blue"),
            backend("blue", "blue"),
            backend("green", "green"),
            backend("green", "green"));
    Endpoint citoid = backend("citoid", "none");
    mesh = Mesh.builder().service(config(0, "blue", endpoints, citoid).get(0)).build();
    ConnectionCounter connections = new ConnectionCounter();
    OkHttpClient client =
        MeshOkHttp.of(mesh).client().newBuilder().eventListener(connections).build();
    MeshConfigurer configurer = MeshConfigurer.of(mesh);

    Queue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < CALLERS; i++) {
      callers.scheduleAtFixedRate(
          () -> {
            try {
              String body = body(client, "http://mathoid/render");
              if (!body.equals("blue") && !body.equals("green")) {
                failures.add("unexpected answer " + body);
              }
            } catch (IOException | RuntimeException e) {
              failures.add(e.toString());
            }
            calls.incrementAndGet();
          },
          i * CALL_PERIOD.toMillis() / CALLERS,
          CALL_PERIOD.toMillis(),
          TimeUnit.MILLISECONDS);
    }

    CountDownLatch swapped = new CountDownLatch(SWAPS);
    AtomicInteger swap = new AtomicInteger();
    swapper.scheduleAtFixedRate(
        () -> {
          int n = swap.incrementAndGet();
          if (n > SWAPS) {
            return;
          }
          String color = n % 2 == 0 ? "blue" : "green";
          List<ServiceConfig> next = config(n, color, endpoints, citoid);
          try {
            ConfigStatus status = configurer.apply(next, "swap", String.valueOf(n));
            String seen = body(client, "http://mathoid/render");
            if (!seen.equals(color) || status.generation() != n + 1) {
              failures.add("swap " + n + " to " + color + ": the next call saw " + seen);
            }
            if (next.size() == 2 && !body(client, "http://citoid/").equals("citoid")) {
              failures.add("swap " + n + ": the added service did not answer");
            }
          } catch (IOException | RuntimeException e) {
            failures.add("swap " + n + ": " + e);
          }
          swapped.countDown();
        },
        SWAP_PERIOD.toMillis(),
        SWAP_PERIOD.toMillis(),
        TimeUnit.MILLISECONDS);

    assertTrue(swapped.await(25, TimeUnit.SECONDS), "100 swaps within 25 s");
    callers.shutdown();
    assertTrue(callers.awaitTermination(10, TimeUnit.SECONDS));

    assertEquals(List.of(), List.copyOf(failures), "failed calls or swaps");
    assertEquals(SWAPS + 1, mesh.configStatus().generation());
    assertTrue(
        calls.get() >= SWAPS * SWAP_PERIOD.toMillis() / CALL_PERIOD.toMillis(),
        "calls sent meanwhile: " + calls.get());
    // Five backends, at most five calls at once (four callers and the swapper's probe): pooled
    // connections are kept across swaps, or there would be one per swap or more.
    assertTrue(
        connections.opened.get() <= 25,
        "connections opened over " + SWAPS + " swaps: " + connections.opened.get());
  }

  private static String body(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      if (response.code() != 200) {
        throw new IOException(url + " answered " + response.code());
      }
      return response.body().string();
    }
  }

  private static final class ConnectionCounter extends EventListener {
    final AtomicInteger opened = new AtomicInteger();

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {
      opened.incrementAndGet();
    }
  }
}

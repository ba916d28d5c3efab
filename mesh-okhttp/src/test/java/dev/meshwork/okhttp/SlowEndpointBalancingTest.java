package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Five real backends, one twenty times slower than the others (100 ms against 5 ms, injected by
 * WireMock). Latency- and load-aware balancers must send it far less than its even share of 20%.
 */
class SlowEndpointBalancingTest {
  private static final int CALLERS = 8;
  private static final int CALLS = 400;
  private static final List<WireMockServer> servers = new ArrayList<>();

  @BeforeAll
  static void start() {
    for (int i = 0; i < 5; i++) {
      WireMockServer server =
          new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
      server.start();
      String name = i == 0 ? "slow" : "fast-" + i;
      server.stubFor(
          any(anyUrl()).willReturn(aResponse().withBody(name).withFixedDelay(i == 0 ? 100 : 5)));
      servers.add(server);
    }
  }

  @AfterAll
  static void stop() {
    servers.forEach(WireMockServer::stop);
  }

  private static double slowShare(LoadBalancerFactory balancer) throws Exception {
    String[] addresses = servers.stream().map(s -> "127.0.0.1:" + s.port()).toArray(String[]::new);
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.endpoints(addresses).loadBalancer(balancer))
            .build()) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      Map<String, Integer> servedBy = new ConcurrentHashMap<>();
      ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          done.add(
              callers.submit(
                  () -> {
                    for (int i = 0; i < CALLS / CALLERS; i++) {
                      servedBy.merge(
                          MeshOkHttpTest.get(client, "http://mathoid/render"), 1, Integer::sum);
                    }
                    return null;
                  }));
        }
        for (Future<?> future : done) {
          future.get();
        }
      } finally {
        callers.shutdownNow();
      }
      assertEquals(CALLS, servedBy.values().stream().mapToInt(Integer::intValue).sum());
      System.out.println(balancer.name() + " served by " + servedBy);
      return servedBy.getOrDefault("slow", 0) / (double) CALLS;
    }
  }

  @Test
  void leastRequestSendsTheSlowEndpointWellUnderItsShare() throws Exception {
    double share = slowShare(LoadBalancers.leastRequest(1));
    // Even share 20%; with 8 callers the slow one holds requests in flight and loses its pairs
    // (seen: 7-8%). Bound: under 12%, which leaves room for a noisy machine.
    assertTrue(share < 0.12, "slow endpoint share " + share);
  }

  @Test
  void peakEwmaSendsTheSlowEndpointAFraction() throws Exception {
    double share = slowShare(LoadBalancers.peakEwma(1));
    // After its first 100 ms answer it loses every pair against a 5 ms endpoint until its estimate
    // decays (seen: 0.25-2.5%). Bound: under 6%, less than a third of its even share.
    assertTrue(share < 0.06, "slow endpoint share " + share);
  }

  @Test
  void roundRobinIsTheBaselineThatDoesNot() throws Exception {
    // Shows the test can tell: a balancer blind to load gives the slow endpoint its full fifth.
    assertEquals(0.20, slowShare(LoadBalancers.roundRobin()), 0.01);
  }
}

package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Splits, overrides, matching and live swaps against a no-network transport that records which
 * endpoint each call reached. Draws are seeded (mesh seed 7, balancer seed 11), so every run sees
 * the same sequence; tolerances are stated where a share is measured.
 */
class TrafficSplitTest {
  private static final Endpoint V1A =
      Endpoint.builder("10.0.1.1", 80).label("version", "v1").build();
  private static final Endpoint V1B =
      Endpoint.builder("10.0.1.2", 80).label("version", "v1").build();
  private static final Endpoint V1C =
      Endpoint.builder("10.0.1.3", 80).label("version", "v1").build();
  private static final Endpoint V2A =
      Endpoint.builder("10.0.2.1", 80).label("version", "v2").build();
  private static final Endpoint V2B =
      Endpoint.builder("10.0.2.2", 80).label("version", "v2").build();

  private final ScriptedExchange exchange = ScriptedExchange.always(200);
  private Mesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private static RouteTable.Builder versions() {
    return RouteTable.builder().subset("v1", "version", "v1").subset("v2", "version", "v2");
  }

  private Mesh mesh(RouteTable routes) {
    mesh =
        Mesh.builder()
            .randomSeed(7)
            .service(
                "mathoid",
                s ->
                    s.endpoints(V1A, V1B, V1C, V2A, V2B)
                        .loadBalancer(LoadBalancers.leastRequest(11))
                        .routes(routes))
            .build();
    return mesh;
  }

  private String versionOf(MeshRequest request) throws IOException {
    int before = exchange.sentTo.size();
    Invokers.of(mesh, "mathoid").invoke(request, exchange);
    return exchange.sentTo.get(before).labels().get("version");
  }

  private Map<String, Integer> countVersions(MeshRequest request, int calls) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < calls; i++) {
      counts.merge(versionOf(request), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void ninetyTenSplitLandsWithinTwoPointsOverTenThousandCalls() throws IOException {
    mesh(versions().route(Route.builder("canary").split("v1", 90).split("v2", 10).build()).build());
    Map<String, Integer> counts = countVersions(RoutedRequest.get("/render"), 10_000);
    double v2Share = counts.getOrDefault("v2", 0) / 100.0;
    // Tolerance from the issue: +-2 percentage points (binomial sd at n=10,000 is 0.3 points).
    assertEquals(10.0, v2Share, 2.0, "v2 share in percent, counts " + counts);
    assertEquals(10_000, counts.getOrDefault("v1", 0) + counts.getOrDefault("v2", 0));
  }

  @Test
  void blueGreenFlipTakesEffectForTheNextCall() throws IOException {
    RouteTable blue = versions().route(Route.builder("main").to("v1").build()).build();
    mesh(blue);
    assertEquals(Map.of("v1", 50), countVersions(RoutedRequest.get("/"), 50));

    RouteTable green =
        blue.toBuilder().replaceRoute(Route.builder("main").to("v2").build()).build();
    mesh.replaceRoutes("mathoid", green);
    assertEquals("v2", versionOf(RoutedRequest.get("/")), "the very next call goes to green");
    assertEquals(Map.of("v2", 50), countVersions(RoutedRequest.get("/"), 50));
    assertEquals(green, mesh.routes("mathoid"));
    assertTrue(
        mesh.config("mathoid").toString().contains("to [v2=1]"), mesh.config("mathoid").toString());
  }

  @Test
  void headerOverridePinsTheCallWhateverTheSplit() throws IOException {
    mesh(
        versions()
            .route(
                Route.builder("canary")
                    .split("v1", 100)
                    .split("v2", 0)
                    .override("x-canary", "always", "v2")
                    .build())
            .build());
    assertEquals(
        Map.of("v2", 200), countVersions(RoutedRequest.get("/").with("X-Canary", "always"), 200));
    assertEquals(
        Map.of("v1", 200), countVersions(RoutedRequest.get("/").with("x-canary", "never"), 200));
    assertEquals(Map.of("v1", 200), countVersions(RoutedRequest.get("/"), 200));
  }

  @Test
  void firstMatchingRouteDecidesByPathMethodAndHeader() throws IOException {
    mesh(
        versions()
            .route(Route.builder("exact").pathExact("/health").to("v2").build())
            .route(Route.builder("posts").pathPrefix("/render").methods("post").to("v2").build())
            .route(Route.builder("tester").headerRegex("x-user", "qa-[0-9]+").to("v2").build())
            .route(Route.builder("versioned").pathRegex("/v[0-9]+/.*").to("v2").build())
            .route(Route.builder("rest").to("v1").build())
            .build());
    assertEquals("v2", versionOf(RoutedRequest.get("/health")));
    assertEquals(
        "v1",
        versionOf(RoutedRequest.get("/health/deep")),
        "exact does not match a longer path; the catch-all does");
    assertEquals("v2", versionOf(new RoutedRequest("POST", "/render/png", Map.of())));
    assertEquals("v1", versionOf(RoutedRequest.get("/render/png")));
    assertEquals("v2", versionOf(RoutedRequest.get("/render").with("x-user", "qa-17")));
    assertEquals(
        "v1",
        versionOf(RoutedRequest.get("/render").with("x-user", "qa-17x")),
        "regex matches the whole value");
    assertEquals("v2", versionOf(RoutedRequest.get("/v2/render")));
  }

  @Test
  void callsNoRouteMatchesReachEveryEndpoint() throws IOException {
    mesh(versions().route(Route.builder("render").pathPrefix("/render").to("v2").build()).build());
    Map<String, Integer> counts = countVersions(RoutedRequest.get("/other"), 1_000);
    // 3 of 5 endpoints are v1: the whole service serves unmatched calls (expect about 600, +-100).
    assertEquals(600, counts.get("v1"), 100, counts.toString());
  }

  @Test
  void aSubsetWithoutEndpointsFailsNamingRouteAndSubset() {
    mesh(
        RouteTable.builder()
            .subset("v3", "version", "v3")
            .route(Route.builder("next").to("v3").build())
            .build());
    MeshException.NoHealthyEndpoints e =
        assertThrows(
            MeshException.NoHealthyEndpoints.class,
            () -> Invokers.of(mesh, "mathoid").invoke(RoutedRequest.get("/"), exchange));
    assertTrue(e.getMessage().contains("service 'mathoid'"), e.getMessage());
    assertTrue(e.getMessage().contains("route 'next' subset v3{version=v3}"), e.getMessage());
    assertTrue(
        e.getMessage().contains("none of the service's 5 endpoints carry its labels"),
        e.getMessage());
    assertEquals(0, exchange.sentTo.size());
  }

  @Test
  void routesSwappedWhileACallIsRunningDoNotMoveThatCall() throws Exception {
    RouteTable blue = versions().route(Route.builder("main").to("v1").build()).build();
    mesh(blue);
    java.util.concurrent.CountDownLatch inBackend = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    ScriptedExchange blocking =
        new ScriptedExchange(
            (endpoint, attempt) -> {
              inBackend.countDown();
              try {
                release.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return 503; // a retry would re-pick: it must stay in the call's subset
            });
    var running =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Invokers.of(mesh, "mathoid").invoke(RoutedRequest.get("/"), blocking);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    inBackend.await();
    mesh.replaceRoutes(
        "mathoid", blue.toBuilder().replaceRoute(Route.builder("main").to("v2").build()).build());
    release.countDown();
    assertEquals(503, running.get());
    assertEquals(2, blocking.sentTo.size(), "first attempt and one retry");
    blocking.sentTo.forEach(
        endpoint -> assertEquals("v1", endpoint.labels().get("version"), "retry stayed in v1"));
    assertEquals("v2", versionOf(RoutedRequest.get("/")));
  }
}

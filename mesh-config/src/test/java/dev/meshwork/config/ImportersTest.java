package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.routing.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Istio {@code DestinationRule} + {@code VirtualService} and Gateway API {@code HTTPRoute} (GAMMA)
 * imported onto the mesh model: what is honoured lands in the services, what is not is reported by
 * path, and strict mode refuses it.
 */
class ImportersTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  @TempDir Path dir;

  /** The mesh document that gives reviews its endpoints: one per version. */
  static String base(int v1, int v2, int v3) {
    return HEAD
        + "mesh: {randomSeed: 7}\n"
        + "services:\n"
        + "  reviews:\n"
        + "    discovery:\n"
        + "      static:\n"
        + "        - \"127.0.0.1:"
        + v1
        + " app=reviews version=v1\"\n"
        + "        - \"127.0.0.1:"
        + v2
        + " app=reviews version=v2\"\n"
        + "        - \"127.0.0.1:"
        + v3
        + " app=reviews version=v3\"\n";
  }

  Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  Path fixture(String name) throws Exception {
    return write(name, Documents.resource("imports/" + name));
  }

  MeshConfig istio() throws Exception {
    return MeshConfig.load(
        write("mesh.yaml", base(8001, 8002, 8003)), fixture("reviews-istio.yaml"));
  }

  @Test
  void istioSubsetsPoliciesAndRoutesLandInTheService() throws Exception {
    ServiceConfig reviews = istio().services().get(0);
    assertEquals("reviews", reviews.name().value());
    assertEquals(
        Set.of("v1", "v2", "v3"), reviews.routes().subsets().keySet(), reviews.routes().toString());
    assertEquals(Map.of("version", "v3"), reviews.routes().subsets().get("v3").labels());
    List<Route> routes = reviews.routes().routes();
    assertEquals(List.of("tester", "chaos", "canary"), routes.stream().map(Route::name).toList());
    assertEquals("[end-user = jason]", routes.get(0).headers().toString());
    assertEquals("[v2=100]", routes.get(0).split().toString());
    assertEquals(
        List.of(new Route.WeightedSubset("v1", 90), new Route.WeightedSubset("v3", 10)),
        routes.get(2).split());
    assertEquals("v2", routes.get(2).mirror().orElseThrow().subset());
    assertEquals(5.0, routes.get(2).mirror().orElseThrow().percent());
    assertEquals(503, routes.get(1).fault().orElseThrow().abortStatus());
    assertEquals(100.0, routes.get(1).fault().orElseThrow().abortPercent());
    for (Route route : routes) {
      assertEquals(Optional.of(Duration.ofSeconds(4)), route.timeout(), route::toString);
    }
    assertEquals(Optional.empty(), reviews.timeouts().deadline(), "a route's, not the service's");
    assertEquals(Duration.ofSeconds(1), reviews.timeouts().perTry().orElseThrow());
    assertEquals(Duration.ofSeconds(2), reviews.timeouts().connect());
    assertEquals(3, reviews.retries().maxAttempts());
    assertEquals(
        Set.of(RetryOn.CONNECT_FAILURE, RetryOn.REFUSED_STREAM, RetryOn.RETRIABLE_STATUS),
        reviews.retries().retryOn());
    assertEquals(Set.of(502, 503, 504), reviews.retries().retriableStatuses());
    assertEquals(3, reviews.outlierDetection().consecutive5xx());
    assertEquals(Duration.ofSeconds(5), reviews.outlierDetection().interval());
    assertEquals(Duration.ofSeconds(15), reviews.outlierDetection().baseEjectionTime());
    assertEquals(50.0, reviews.outlierDetection().maxEjectionPercent());
    assertEquals(0.0, reviews.outlierDetection().panicThresholdPercent());
    assertEquals(256, reviews.limits().maxRequests());
    assertEquals(64, reviews.limits().maxPending());
    assertEquals(LoadBalancers.roundRobin().toString(), reviews.loadBalancer().toString());
  }

  @Test
  void whatIsNotHonouredIsAWarningWithFileLinePathAndValueAndStrictModeRefusesIt()
      throws Exception {
    Path base = write("mesh.yaml", base(8001, 8002, 8003));
    Path routes = fixture("reviews-istio.yaml");
    String path = "DestinationRule reviews: spec.trafficPolicy.connectionPool.tcp.maxConnections";
    List<LintFinding> findings = MeshConfig.load(base, routes).lint();
    LintFinding left =
        findings.stream().filter(f -> f.code().equals("MW113")).findFirst().orElseThrow();
    assertEquals(LintFinding.Severity.WARNING, left.severity());
    assertEquals(routes.toString(), left.source());
    assertEquals(16, left.line());
    assertEquals(path, left.path());
    assertTrue(left.message().startsWith("'100' is not honoured: "), left.message());
    assertEquals(
        1, findings.stream().filter(f -> f.code().equals("MW113")).count(), findings.toString());

    ConfigDocumentException refused =
        assertThrows(
            ConfigDocumentException.class,
            () -> MeshConfig.load(MeshConfig.Imports.STRICT, base, routes));
    Problem problem = refused.problems().get(0);
    assertEquals(1, refused.problems().size(), refused.getMessage());
    assertEquals(path, problem.path());
    assertEquals("100", problem.value());
    assertEquals(16, problem.line());
    assertTrue(
        problem.expected().startsWith("no such field: Meshwork cannot honour it"),
        problem.expected());
    List<LintFinding> strict = ConfigLint.lint(MeshConfig.Imports.STRICT, base, routes);
    assertEquals("MW113", strict.get(0).code());
    assertEquals(LintFinding.Severity.ERROR, strict.get(0).severity());
  }

  @Test
  void explainAndPlanNameTheImportedLines() throws Exception {
    MeshConfig config = istio();
    assertTrue(
        config
            .explain()
            .contains(
                "services.reviews.routes[2].split[1].weight = 10  # "
                    + dir.resolve("reviews-istio.yaml")
                    + ":90:11"),
        config.explain());
    MeshConfig before = MeshConfig.load(write("mesh.yaml", base(8001, 8002, 8003)));
    String plan = MeshConfig.plan(before, config).toString();
    assertTrue(plan.contains("+ reviews route canary: route added"), plan);
  }

  @Test
  void aWeightedSplitAndAHeaderMatchRouteRealCalls() throws Exception {
    try (Backends backends = new Backends("v1", "v2", "v3")) {
      Path base =
          write("mesh.yaml", base(backends.port("v1"), backends.port("v2"), backends.port("v3")));
      try (var mesh = MeshConfig.load(base, fixture("reviews-istio.yaml")).build()) {
        Map<String, Integer> answers = new java.util.TreeMap<>();
        int calls = 1000;
        for (int i = 0; i < calls; i++) {
          answers.merge(backends.get(mesh, "reviews", "/reviews/1", Map.of()), 1, Integer::sum);
        }
        // randomSeed 7 makes the split repeatable; 10% of 1000 is 100, and the tolerance (+-30)
        // is over 3 standard deviations of a fair 90/10 draw (9.5 calls).
        int v3 = answers.getOrDefault("v3", 0);
        assertEquals(calls, answers.getOrDefault("v1", 0) + v3, answers.toString());
        assertTrue(v3 >= 70 && v3 <= 130, answers.toString());
        for (int i = 0; i < 20; i++) {
          assertEquals(
              "v2", backends.get(mesh, "reviews", "/reviews/1", Map.of("end-user", "jason")));
        }
      }
    }
  }

  @Test
  void gammaRouteWithServiceSelectorsRoutesRealCalls() throws Exception {
    try (Backends backends = new Backends("v1", "v2", "v3")) {
      Path base =
          write("mesh.yaml", base(backends.port("v1"), backends.port("v2"), backends.port("v3")));
      MeshConfig config = MeshConfig.load(base, fixture("reviews-gamma.yaml"));
      ServiceConfig reviews = config.services().get(0);
      assertEquals(
          Map.of("app", "reviews", "version", "v2"),
          reviews.routes().subsets().get("reviews-v2").labels());
      List<Route> routes = reviews.routes().routes();
      // The longer prefix goes first, as Gateway API orders matches.
      assertEquals(List.of("tester", "reviews-0"), routes.stream().map(Route::name).toList());
      assertEquals(
          List.of(
              new Route.WeightedSubset("reviews-v1", 90),
              new Route.WeightedSubset("reviews-v2", 10)),
          routes.get(1).split());
      assertEquals("reviews-v2", routes.get(1).mirror().orElseThrow().subset());
      for (Route route : routes) {
        assertEquals(Optional.of(Duration.ofSeconds(3)), route.timeout(), route::toString);
      }
      assertEquals(Optional.empty(), reviews.timeouts().deadline(), "a route's, not the service's");
      assertEquals(Duration.ofSeconds(1), reviews.timeouts().perTry().orElseThrow());
      assertEquals(3, reviews.retries().maxAttempts());
      assertEquals(Duration.ofMillis(50), reviews.retries().backoffBase());
      // A route for one port of the Service applies to all its calls here: reported, not refused.
      assertEquals(
          List.of("HTTPRoute reviews: spec.parentRefs[0].port"),
          config.lint().stream()
              .filter(f -> f.code().equals("MW113"))
              .map(LintFinding::path)
              .toList());
      try (var mesh = config.build()) {
        for (int i = 0; i < 20; i++) {
          assertEquals(
              "v2", backends.get(mesh, "reviews", "/reviews/7", Map.of("x-canary", "always")));
        }
        // Element-wise prefix: /reviewsx is not under /reviews, so it is split, never pinned.
        Map<String, Integer> answers = new java.util.TreeMap<>();
        for (int i = 0; i < 200; i++) {
          answers.merge(
              backends.get(mesh, "reviews", "/reviewsx", Map.of("x-canary", "always")),
              1,
              Integer::sum);
        }
        assertTrue(answers.getOrDefault("v1", 0) > 150, answers.toString());
      }
    }
  }
}

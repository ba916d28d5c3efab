package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.security.TlsMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Imported objects that cannot be honoured as written are refused, lenient mode or not, each
 * problem naming the file, line, object, field path and value.
 */
class ImportRefusalsTest {
  static final String DR =
      """
      apiVersion: networking.istio.io/v1
      kind: DestinationRule
      metadata: {name: reviews}
      spec:
        host: reviews
        subsets: [{name: v1, labels: {version: v1}}]
      """;

  static String vs(String http) {
    return """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: reviews}
        spec:
          hosts: [reviews]
          http:
        """
        + http.indent(4);
  }

  static final String ROUTE =
      """
      apiVersion: gateway.networking.k8s.io/v1
      kind: HTTPRoute
      metadata: {name: reviews, namespace: shop}
      spec:
        parentRefs: [{group: "", kind: Service, name: reviews}]
        rules:
      """;

  @TempDir Path dir;

  private Path base;

  private Problem refused(String routes) throws Exception {
    return refusedAll(routes).get(0);
  }

  private List<Problem> refusedAll(String routes) throws Exception {
    base = Files.writeString(dir.resolve("mesh.yaml"), ImportersTest.base(8001, 8002, 8003));
    Path file = Files.writeString(dir.resolve("routes.yaml"), routes);
    ConfigDocumentException e =
        assertThrows(ConfigDocumentException.class, () -> MeshConfig.load(base, file));
    e.problems().forEach(p -> assertEquals(file.toString(), p.source(), e.getMessage()));
    return e.problems();
  }

  @Test
  void anUnknownKindIsNamedWithItsDocument() throws Exception {
    Problem problem =
        refused(
            ROUTE
                + "    - backendRefs: [{name: reviews, port: 80}]\n---\napiVersion: apps/v1\n"
                + "kind: Deployment\nmetadata: {name: reviews}\n");
    assertEquals("document 2", problem.path());
    assertEquals("Deployment (apps/v1)", problem.value());
    assertEquals(10, problem.line());
    assertTrue(problem.expected().startsWith("one of HTTPRoute"), problem.expected());
  }

  @Test
  void aSubsetWithoutDestinationRuleIsRefused() throws Exception {
    Problem problem = refused(vs("- route: [{destination: {host: reviews, subset: v2}}]\n"));
    assertEquals(
        "VirtualService reviews: spec.http[0].route[0].destination.subset", problem.path());
    assertEquals("v2", problem.value());
    assertEquals(7, problem.line());
    assertTrue(problem.expected().contains("no DestinationRule"), problem.expected());
    LintFinding finding = ConfigLint.lint(base, dir.resolve("routes.yaml")).get(0);
    assertEquals("MW102", finding.code());
  }

  @Test
  void aSubsetTheDestinationRuleDoesNotDeclareIsRefused() throws Exception {
    Problem problem =
        refused(DR + "---\n" + vs("- route: [{destination: {host: reviews, subset: v2}}]\n"));
    assertEquals("v2", problem.value());
    assertTrue(problem.expected().contains("[v1]"), problem.expected());
  }

  @Test
  void aBackendInAnotherNamespaceIsRefused() throws Exception {
    Problem problem =
        refused(
            ROUTE
                + "    - backendRefs:\n"
                + "        - {name: reviews-v1, port: 80, weight: 90}\n"
                + "        - {name: reviews-v2, namespace: other, port: 80, weight: 10}\n");
    assertEquals("HTTPRoute reviews: spec.rules[0].backendRefs[1].namespace", problem.path());
    assertEquals("other", problem.value());
    assertTrue(problem.expected().contains("ReferenceGrant"), problem.expected());
  }

  @Test
  void anUnsupportedMatchIsRefusedEvenWhenLenient() throws Exception {
    Problem problem =
        refused(
            vs(
                "- match: [{queryParams: {debug: {exact: \"1\"}}}]\n"
                    + "  route: [{destination: {host: reviews}}]\n"
                    + "- route: [{destination: {host: reviews}}]\n"));
    assertEquals("VirtualService reviews: spec.http[0].match[0].queryParams", problem.path());
    assertEquals("{\"debug\":{\"exact\":\"1\"}}", problem.value());
    LintFinding finding = ConfigLint.lint(base, dir.resolve("routes.yaml")).get(0);
    assertEquals("MW113", finding.code());
    assertEquals(LintFinding.Severity.ERROR, finding.severity());
  }

  @Test
  void aFieldTheImporterDoesNotKnowIsRefused() throws Exception {
    Problem problem = refused(vs("- route: [{destination: {host: reviews}}]\n  timout: 2s\n"));
    assertEquals("VirtualService reviews: spec.http[0].timout", problem.path());
    assertTrue(problem.expected().contains("does not know"), problem.expected());
  }

  @Test
  void routesWithoutACatchAllAreRefused() throws Exception {
    Problem problem =
        refused(
            vs(
                "- match: [{uri: {prefix: /v2}}]\n"
                    + "  route: [{destination: {host: reviews}}]\n"));
    assertEquals("VirtualService reviews: spec.http", problem.path());
    assertTrue(problem.expected().contains("404"), problem.expected());
  }

  /** Not a refusal: each route keeps its own timeout, where it was written. */
  @Test
  void routesWithDifferentTimeoutsKeepEachTheirOwn() throws Exception {
    base = Files.writeString(dir.resolve("mesh.yaml"), ImportersTest.base(8001, 8002, 8003));
    Path file =
        Files.writeString(
            dir.resolve("routes.yaml"),
            vs(
                "- name: v2\n"
                    + "  match: [{uri: {prefix: /v2}}]\n"
                    + "  route: [{destination: {host: reviews}}]\n"
                    + "  timeout: 1s\n"
                    + "- name: rest\n"
                    + "  route: [{destination: {host: reviews}}]\n"
                    + "  timeout: 0s\n"));
    MeshConfig config = MeshConfig.load(base, file);
    ServiceConfig reviews = config.services().get(0);
    List<Route> routes = reviews.routes().routes();
    assertEquals(Optional.of(Duration.ofSeconds(1)), routes.get(0).timeout());
    assertEquals(Optional.empty(), routes.get(1).timeout(), "0s: the service's deadline");
    assertEquals(Optional.empty(), reviews.timeouts().deadline(), "not the service's");
    assertTrue(
        config.explain().contains("services.reviews.routes[0].timeout = 1s  # " + file + ":"),
        config.explain());
  }

  @Test
  void aRouteToAnotherServiceIsRefused() throws Exception {
    Problem problem = refused(vs("- route: [{destination: {host: ratings}}]\n"));
    assertEquals("VirtualService reviews: spec.http[0].route[0].destination.host", problem.path());
    assertEquals("ratings", problem.value());
  }

  @Test
  void oneShortNameInTwoNamespacesIsRefused() throws Exception {
    Problem problem =
        refused(
            DR.replace("host: reviews", "host: reviews.a.svc.cluster.local")
                + "---\n"
                + vs("- route: [{destination: {host: reviews.b.svc.cluster.local}}]\n")
                    .replace("hosts: [reviews]", "hosts: [reviews.b.svc.cluster.local]"));
    assertEquals("VirtualService reviews: spec.hosts[0]", problem.path());
    assertTrue(problem.expected().contains("namespace a"), problem.expected());
  }

  @Test
  void clientCertificatesOfItsOwnAreRefusedAndDisableIsPlaintext() throws Exception {
    List<String> paths =
        refusedAll(DR + "  trafficPolicy: {tls: {mode: MUTUAL, clientCertificate: /etc/c.pem}}\n")
            .stream()
            .map(Problem::path)
            .toList();
    assertEquals(
        List.of(
            "DestinationRule reviews: spec.trafficPolicy.tls.mode",
            "DestinationRule reviews: spec.trafficPolicy.tls.clientCertificate"),
        paths);
    Path file =
        Files.writeString(
            dir.resolve("routes.yaml"), DR + "  trafficPolicy: {tls: {mode: DISABLE}}\n");
    MeshConfig config = MeshConfig.load(base, file);
    assertEquals(TlsMode.DISABLED, config.services().get(0).tls().orElseThrow());
  }

  @Test
  void mutualTlsWithoutAMeshIdentityIsRefusedAtTheRule() throws Exception {
    Problem problem =
        refused(
            DR
                + "  trafficPolicy:\n"
                + "    tls: {mode: ISTIO_MUTUAL, subjectAltNames: [spiffe://cluster.local/ns/default/sa/reviews]}\n");
    assertEquals("services.reviews.tls", problem.path());
    assertEquals(8, problem.line());
  }

  @Test
  void anImportedServiceNeedsADiscoveryFromAMeshDocument() throws Exception {
    ConfigDocumentException e =
        assertThrows(ConfigDocumentException.class, () -> MeshConfig.parse(DR, "reviews-dr.yaml"));
    Problem problem = e.problems().get(0);
    assertEquals("services.reviews.discovery", problem.path());
    assertEquals("reviews-dr.yaml", problem.source());
    assertEquals(5, problem.line());
    assertTrue(problem.expected().contains("meshwork config lint --merged"), problem.expected());
  }
}

package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.ZoneAwareness;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Small documents, one concern each, through a running mesh and back; builder-made meshes through
 * their document and back; and what a document cannot express, said in the rendering.
 */
class ModelRoundTripTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";
  static final String SERVICE =
      "services:\n  mathoid:\n    discovery: {static: [\"127.0.0.1:8081\"]}\n";

  static Stream<String> focused() {
    return Stream.of(
        SERVICE,
        "mesh: {localZone: eqiad-b, decisions: 16}\n"
            + SERVICE
            + "    zoneAwareness: {minHealthyPercent: 55.5}\n",
        "mesh: {unknownHosts: passThrough, meshDomains: [svc.cluster.local]}\n" + SERVICE,
        "mesh: {randomSeed: -9, awaitDiscovery: 250ms}\n" + SERVICE,
        "mesh: {telemetry: {endpointTagLimit: 0}}\n" + SERVICE,
        SERVICE + "    loadBalancer: {policy: roundRobin}\n",
        SERVICE + "    loadBalancer: {policy: weightedRoundRobin}\n",
        SERVICE + "    loadBalancer: {policy: leastRequest, seed: 5}\n",
        SERVICE + "    loadBalancer: {policy: maglev, hashOn: {header: x-user}}\n",
        SERVICE + "    slowStart: {window: 45s}\n",
        SERVICE + "    timeouts: {perTry: 1us}\n",
        SERVICE
            + "    retries: {maxAttempts: 4, retryOn: [refusedStream, timeout], retriableStatuses: []}\n",
        SERVICE + "    retryBudget: {percent: 0.5, window: 1m}\n",
        SERVICE + "    hedging: {delay: 7ms}\n",
        SERVICE + "    circuitBreaker: {failureRatePercent: 99.9}\n",
        SERVICE
            + "    outlierDetection: {successRate: {enabled: false}, failurePercentage: {enabled: true}}\n",
        SERVICE + "    limits: {maxPending: 0}\n",
        SERVICE + "    healthCheck: {path: /ready}\n",
        SERVICE + "    tls: disabled\n",
        SERVICE
            + "    subsets: {blue: {color: blue}, green: {color: green}}\n"
            + "    routes:\n"
            + "      - {name: all-green, split: [{subset: green, weight: 1}]}\n"
            + "      - name: mirror\n        match: {methods: [POST]}\n"
            + "        mirror: {subset: blue, percent: 100}\n"
            + "      - name: slow\n        fault: {delay: {duration: 1s, percent: 100}}\n");
  }

  @ParameterizedTest
  @MethodSource("focused")
  void aFocusedDocumentSurvivesARunningMesh(String body) {
    MeshConfig config = MeshConfig.parse(HEAD + body, "focused.yaml");
    Documents.assertContains(Documents.tree(HEAD + body), Documents.tree(config.toYaml()), "");
    try (Mesh mesh = config.build()) {
      assertEquals(config.toYaml(), MeshConfig.of(mesh).toYaml());
    }
  }

  @Test
  void aBuilderMadeMeshLoadsBackFromItsDocument() {
    try (Mesh mesh =
        Mesh.builder()
            .localZone("eqiad-a")
            .unknownHosts(UnknownHostPolicy.REFUSE_MESH_LIKE)
            .meshDomains("svc.cluster.local")
            .decisions(64)
            .telemetry(Telemetry.builder().meterRegistry(new SimpleMeterRegistry()).build())
            .service(
                "mathoid",
                s ->
                    s.endpoints(
                            Endpoint.builder("10.0.0.1", 8080)
                                .weight(3)
                                .zone("eqiad-a")
                                .label("version", "v1")
                                .build(),
                            Endpoint.builder("10.0.0.2", 8080).label("version", "v2").build())
                        .loadBalancer(LoadBalancers.ringHash(HashPolicy.cookie("session"), 2048))
                        .zoneAware(ZoneAwareness.disabled())
                        .slowStart(
                            SlowStart.builder(Duration.ofSeconds(30)).aggression(1.5).build())
                        .tls(TlsMode.DISABLED)
                        .connectTimeout(Duration.ofMillis(1500))
                        .perTryTimeout(Duration.ofMillis(400))
                        .timeout(Duration.ofSeconds(3))
                        .propagateDeadline(true)
                        .retries(
                            RetryPolicy.builder().maxAttempts(3).retriableStatuses(503).build())
                        .retryBudget(RetryBudget.builder().ratio(0.35).build())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(OutlierDetection.builder().consecutive5xx(2).build())
                        .healthCheck(
                            HealthCheck.http("/healthz").interval(Duration.ofSeconds(3)).build())
                        .hedging(Duration.ofMillis(80))
                        .routes(
                            RouteTable.builder()
                                .subset("v1", "version", "v1")
                                .subset("v2", "version", "v2")
                                .route(
                                    Route.builder("canary")
                                        .pathPrefix("/render")
                                        .headerRegex("x-user", "[0-9]+")
                                        .split("v1", 95)
                                        .split("v2", 5)
                                        .override("x-canary", "always", "v2")
                                        .mirror("v2", 1.5)
                                        .fault(
                                            f -> f.abortStatus(503, 0.1).onlyWithHeader("x-chaos"))
                                        .build())
                                .build()))
            .service(
                "citoid", s -> s.endpoints("10.0.1.1:1970").retryBudget(RetryBudget.disabled()))
            .build()) {
      MeshConfig running = MeshConfig.of(mesh);
      String yaml = running.toYaml();
      MeshConfig loaded = MeshConfig.parse(yaml, "running.yaml");
      assertEquals(running, loaded);
      assertTrue(yaml.contains("percent: 35"), yaml);
      assertTrue(yaml.contains("minRingSize: 2048"), yaml);
      try (Mesh rebuilt = loaded.build()) {
        assertEquals(running, MeshConfig.of(rebuilt));
      }
    }
  }

  @Test
  void whatADocumentCannotExpressIsSaidAndRefused() {
    LoadBalancerFactory custom =
        new LoadBalancerFactory() {
          @Override
          public dev.meshwork.core.spi.LoadBalancer create(
              dev.meshwork.core.ServiceName service, dev.meshwork.core.MeshClock clock) {
            return LoadBalancers.roundRobin().create(service, clock);
          }

          @Override
          public String name() {
            return "my_balancer";
          }
        };
    DiscoverySource source =
        new DiscoverySource() {
          @Override
          public Watch watch(
              dev.meshwork.core.ServiceName service,
              DiscoveryListener listener,
              DiscoveryContext context) {
            return StaticDiscovery.of(Endpoint.of("127.0.0.1", 1))
                .watch(service, listener, context);
          }

          @Override
          public String describe() {
            return "consul[mathoid]";
          }
        };
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.discovery(source).loadBalancer(custom))
            .service(
                "bypath",
                s ->
                    s.endpoints("127.0.0.1:2")
                        .loadBalancer(LoadBalancers.maglev(HashPolicy.of(r -> r.path()))))
            .build()) {
      String yaml = MeshConfig.of(mesh).toYaml();
      assertTrue(yaml.contains("unexpressible: load balancer 'my_balancer'"), yaml);
      assertTrue(yaml.contains("discovery source consul[mathoid]"), yaml);
      assertTrue(yaml.contains("load balancer 'maglev(function)'"), yaml);
      ConfigDocumentException e =
          assertThrows(ConfigDocumentException.class, () -> MeshConfig.parse(yaml, "running.yaml"));
      List<String> paths =
          e.problems().stream().map(ConfigDocumentException.Problem::path).toList();
      assertTrue(paths.contains("services.mathoid.loadBalancer.unexpressible"), e.getMessage());
      assertTrue(paths.contains("services.mathoid.discovery.unexpressible"), e.getMessage());
      assertTrue(paths.contains("services.bypath.loadBalancer.unexpressible"), e.getMessage());
    }
  }

  @Test
  void aBuiltInCaIdentitySurvivesARunningMesh(@TempDir Path dir) throws Exception {
    BuiltInCa.builder()
        .trustDomain(TrustDomain.of("example.org"))
        .build()
        .saveTo(dir.resolve("ca"));
    String doc =
        HEAD
            + "mesh:\n  identity:\n    builtInCa: {directory: '"
            + dir.resolve("ca")
            + "', workload: restbase, namespace: web, leafLifetime: 2h}\n    namespace: web\n"
            + SERVICE
            + "    peerIdentities: [spiffe://example.org/ns/web/sa/mathoid]\n";
    MeshConfig config = MeshConfig.parse(doc, "identity.yaml");
    Documents.assertContains(Documents.tree(doc), Documents.tree(config.toYaml()), "");
    assertTrue(config.toYaml().contains("unknownHosts: refuseMeshLike"), config.toYaml());
    try (Mesh mesh = config.build()) {
      assertEquals(
          "spiffe://example.org/ns/web/sa/restbase", mesh.security().orElseThrow().localIdentity());
      assertEquals(config.toYaml(), MeshConfig.of(mesh).toYaml());
    }
  }

  @Test
  void pemFilesSurviveARunningMesh(@TempDir Path dir) throws Exception {
    BuiltInCa ca = BuiltInCa.builder().trustDomain(TrustDomain.of("example.org")).build();
    IssuedIdentity issued = ca.issue(SpiffeId.forService(ca.trustDomain(), "default", "restbase"));
    Files.writeString(dir.resolve("tls.key"), pem("PRIVATE KEY", issued.privateKey().getEncoded()));
    StringBuilder chain = new StringBuilder();
    for (X509Certificate certificate : issued.chain()) {
      chain.append(pem("CERTIFICATE", certificate.getEncoded()));
    }
    Files.writeString(dir.resolve("tls.crt"), chain);
    Files.writeString(dir.resolve("ca.crt"), pem("CERTIFICATE", ca.rootCertificate().getEncoded()));
    String doc =
        HEAD
            + "mesh:\n  identity:\n    pemFiles:\n"
            + "      keyFile: '"
            + dir.resolve("tls.key")
            + "'\n"
            + "      chainFile: '"
            + dir.resolve("tls.crt")
            + "'\n"
            + "      trustBundleFile: '"
            + dir.resolve("ca.crt")
            + "'\n"
            + "      pollInterval: 1s\n"
            + "    trustDomain: other.org\n    allowTls12: true\n"
            // Plaintext: peers derived in other.org would not verify against this bundle.
            + SERVICE
            + "    tls: disabled\n";
    MeshConfig config = MeshConfig.parse(doc, "pem.yaml");
    Documents.assertContains(Documents.tree(doc), Documents.tree(config.toYaml()), "");
    try (Mesh mesh = config.build()) {
      assertEquals(config.toYaml(), MeshConfig.of(mesh).toYaml());
    }
  }

  @Test
  void anIdentityWhoseFilesAreMissingIsRefusedWhenTheMeshIsBuilt(@TempDir Path dir) {
    MeshConfig config =
        MeshConfig.parse(
            HEAD
                + "mesh:\n  identity:\n    builtInCa: {directory: '"
                + dir.resolve("none")
                + "', workload: restbase}\n"
                + SERVICE,
            "identity.yaml");
    ConfigDocumentException e = assertThrows(ConfigDocumentException.class, config::build);
    ConfigDocumentException.Problem problem = e.problems().get(0);
    assertEquals("mesh.identity.builtInCa", problem.path());
    assertEquals(5, problem.line(), problem.toString());
  }

  @Test
  void aPeerIdentityTheMeshRefusesIsAProblemOfTheDocument(@TempDir Path dir) throws Exception {
    BuiltInCa.builder()
        .trustDomain(TrustDomain.of("example.org"))
        .build()
        .saveTo(dir.resolve("ca"));
    MeshConfig config =
        MeshConfig.parse(
            HEAD
                + "mesh:\n  identity:\n    builtInCa: {directory: '"
                + dir.resolve("ca")
                + "', workload: restbase}\n"
                + SERVICE
                + "    peerIdentities: [not-a-spiffe-id]\n",
            "identity.yaml");
    ConfigDocumentException e = assertThrows(ConfigDocumentException.class, config::build);
    assertEquals("services.mathoid.peerIdentities", e.problems().get(0).path(), e.getMessage());
    assertEquals(9, e.problems().get(0).line(), e.getMessage());
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
            .encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}

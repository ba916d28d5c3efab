package dev.meshwork.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static dev.meshwork.admin.AdminPages.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.okhttp.Backends;
import dev.meshwork.okhttp.Closer;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.okhttp.TlsBackend;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint's JSON, field by field, over a real mesh calling real backends (WireMock, and
 * JDK HTTPS servers with built-in CA certificates for mutual TLS).
 */
class AdminEndpointTest {
  static final AdminOptions ANY_PORT = AdminOptions.builder().port(0).build();
  static final SpiffeId RESTBASE = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  static final SpiffeId MATHOID = SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  private final Closer closer = new Closer();

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    return closer.add(resource);
  }

  @Test
  void clustersShowEveryEndpointAndTheOneOutlierDetectionEjected() throws Exception {
    Backends backends = closeLater(new Backends(2));
    backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(500)));
    Endpoint good =
        Endpoint.builder("127.0.0.1", backends.get(0).port())
            .weight(3)
            .zone("eu-west-1a")
            .label("version", "v1")
            .build();
    Endpoint bad =
        Endpoint.builder("127.0.0.1", backends.get(1).port())
            .weight(1)
            .zone("eu-west-1b")
            .label("version", "v2")
            .label("api-token", "s3cr3t-label")
            .build();
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service(
                        "mathoid",
                        s ->
                            s.endpoints(good, bad)
                                .loadBalancer(LoadBalancers.roundRobin())
                                .retries(RetryPolicy.disabled())
                                .outlierDetection(
                                    OutlierDetection.builder().consecutive5xx(3).build()))
                    .build(),
                ANY_PORT));
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    Instant before = Instant.now();
    // Round robin over two endpoints: three calls each, so the failing one reaches its streak of 3.
    for (int i = 0; i < 6; i++) {
      Backends.statusOf(client, new Request.Builder().url("http://mathoid/render").build());
    }

    AdminPages admin = new AdminPages(mesh);
    JsonNode clusters = admin.json("/clusters");
    assertEquals(1, clusters.get("services").size());
    JsonNode service = clusters.get("services").get(0);
    assertEquals("mathoid", service.get("name").asText());
    assertEquals("round_robin", service.get("loadBalancer").asText());
    assertEquals(
        "CLOSED",
        service.get("breaker").asText(),
        "6 calls are below the breaker's 20-call minimum");
    assertFalse(service.get("panic").asBoolean(), "1 of 2 healthy is not below 50%");
    assertEquals(1, service.get("healthyEndpoints").asInt());
    assertEquals(2, service.get("totalEndpoints").asInt());
    assertEquals(1, service.get("endpointSetVersion").asInt());
    JsonNode discovery = service.get("discovery");
    assertEquals("static[2 endpoints]", discovery.get("source").asText());
    assertEquals("HEALTHY", discovery.get("status").asText());
    assertTrue(discovery.get("stalenessMs").asLong() >= 0);
    assertFalse(Instant.parse(discovery.get("lastGoodAnswer").asText()).isAfter(Instant.now()));
    assertTrue(discovery.get("lastError").isNull());
    assertEquals(0, discovery.get("parts").size());

    JsonNode healthy = find(service.get("endpoints"), "address", good.address());
    assertEquals(3, healthy.get("weight").asInt());
    assertEquals("eu-west-1a", healthy.get("zone").asText());
    assertEquals("{\"version\":\"v1\"}", healthy.get("labels").toString());
    assertTrue(healthy.get("healthy").asBoolean());
    assertFalse(healthy.get("ejected").asBoolean());
    assertEquals(0, healthy.get("ejections").asInt());
    assertTrue(healthy.get("ejectionRemainingMs").isNull());
    assertEquals(0, healthy.get("activeRequests").asInt());
    assertEquals(3, healthy.get("successes").asLong());
    assertEquals(0, healthy.get("failures").asLong());
    assertTrue(healthy.get("latencyEwmaMs").asDouble() > 0, healthy.toString());

    JsonNode ejected = find(service.get("endpoints"), "address", bad.address());
    assertEquals(1, ejected.get("weight").asInt());
    assertEquals("eu-west-1b", ejected.get("zone").asText());
    assertEquals("v2", ejected.get("labels").get("version").asText());
    assertEquals("[redacted]", ejected.get("labels").get("api-token").asText());
    assertTrue(
        ejected.get("healthy").asBoolean(), "no active health check: only ejection takes it out");
    assertTrue(ejected.get("ejected").asBoolean());
    assertEquals(1, ejected.get("ejections").asInt());
    long remaining = ejected.get("ejectionRemainingMs").asLong();
    assertTrue(remaining > 0 && remaining <= 30_000, "remaining " + remaining);
    assertEquals(0, ejected.get("successes").asLong());
    assertEquals(3, ejected.get("failures").asLong());

    JsonNode decisions = admin.json("/decisions");
    JsonNode ejection = find(decisions.get("decisions"), "kind", "EJECTION");
    assertEquals("mathoid", ejection.get("service").asText());
    assertEquals(bad.address(), ejection.get("endpoint").asText());
    assertTrue(
        ejection
            .get("detail")
            .asText()
            .startsWith(
                "ejected: " + bad.address() + " for 30000 ms (ejection #1): 3 consecutive 5xx"),
        ejection.toString());
    assertFalse(Instant.parse(ejection.get("time").asText()).isBefore(before.minusSeconds(1)));
    int picks = 0;
    for (JsonNode decision : decisions.get("decisions")) {
      picks += decision.get("kind").asText().equals("PICK") ? 1 : 0;
    }
    assertEquals(6, picks);
    assertEquals(7, decisions.get("recorded").asInt(), "6 picks and 1 ejection");
    assertFalse(admin.everything().contains("s3cr3t-label"));
  }

  @Test
  void configShowsEveryDefaultAndNoSecret() throws Exception {
    Backends backends = closeLater(Backends.answering(1, 200));
    PushedSource registry =
        new PushedSource("registry https://admin:hunter2@registry.example/v1?token=abc123");
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service("citoid", s -> s.endpoints(backends.address(0)))
                    .service(
                        "mathoid",
                        s ->
                            s.discovery(registry)
                                .healthCheck(
                                    HealthCheck.http("/health?access_token=xyz789").build())
                                .perTryTimeout(Duration.ofMillis(750))
                                .hedging(Duration.ofMillis(40))
                                .slowStart(SlowStart.of(Duration.ofSeconds(30))))
                    .build(),
                ANY_PORT));
    registry.push(
        Endpoint.builder("127.0.0.1", backends.get(0).port())
            .label("db-password", "pa55word")
            .build());
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(10)));
    assertEquals(
        200,
        Backends.statusOf(
            MeshOkHttp.of(mesh).client(), new Request.Builder().url("http://mathoid/").build()));

    AdminPages admin = new AdminPages(mesh);
    JsonNode config = admin.json("/config");
    assertTrue(config.get("mesh").get("security").isNull());
    assertEquals("127.0.0.1", config.get("mesh").get("admin").get("bindAddress").asText());
    assertEquals(256, config.get("mesh").get("admin").get("decisions").asInt());
    assertEquals(
        "PASS_THROUGH",
        config.get("mesh").get("unknownHosts").asText(),
        "the default without an identity");
    assertEquals("mesh default", config.get("mesh").get("unknownHostsChosenBy").asText());
    assertEquals(0, config.get("mesh").get("meshDomains").size());

    JsonNode citoid = find(config.get("services"), "name", "citoid");
    assertEquals("static[1 endpoints]", citoid.get("discovery").asText());
    assertEquals("least_request", citoid.get("loadBalancer").asText());
    assertEquals("DISABLED", citoid.get("tls").asText());
    assertEquals("mesh default", citoid.get("tlsChosenBy").asText());
    assertEquals(
        "{\"connectMs\":5000,\"perTryMs\":null,\"deadlineMs\":null,\"propagateDeadline\":false,"
            + "\"deadlineHeader\":\"x-mesh-timeout-ms\"}",
        citoid.get("timeouts").toString());
    assertEquals(
        "{\"maxAttempts\":2,\"retryOn\":[\"CONNECT_FAILURE\",\"REFUSED_STREAM\",\"RESET\",\"TIMEOUT\","
            + "\"RETRIABLE_STATUS\"],\"retriableStatuses\":[502,503,504],\"backoffBaseMs\":25,\"backoffMaxMs\":250,"
            + "\"backoffJitter\":\"full\",\"maxRetryAfterMs\":1000}",
        citoid.get("retries").toString());
    assertEquals(
        "{\"unlimited\":false,\"ratio\":0.2,\"minRetriesPerSecond\":10,\"windowMs\":10000}",
        citoid.get("retryBudget").toString());
    assertEquals(
        "{\"enabled\":true,\"failureRateThresholdPercent\":50.0,\"windowMs\":10000,\"minimumCalls\":20,"
            + "\"openDurationMs\":10000,\"halfOpenProbes\":3}",
        citoid.get("circuitBreaker").toString());
    assertEquals(
        "{\"enabled\":true,\"consecutive5xx\":5,\"consecutiveGatewayFailures\":5,\"intervalMs\":10000,"
            + "\"baseEjectionTimeMs\":30000,\"maxEjectionTimeMs\":300000,\"maxEjectionPercent\":10.0,"
            + "\"successRate\":{\"enabled\":true,\"minimumHosts\":5,\"requestVolume\":100,\"stdevFactor\":1.9},"
            + "\"failurePercentage\":{\"enabled\":false,\"thresholdPercent\":85.0,\"minimumHosts\":5,\"requestVolume\":50},"
            + "\"panicThresholdPercent\":50.0}",
        citoid.get("outlierDetection").toString());
    assertEquals(
        "{\"maxRequests\":1024,\"maxPending\":1024,\"maxConnectionsPerEndpoint\":1024}",
        citoid.get("limits").toString());
    assertEquals("{\"enabled\":false}", citoid.get("healthCheck").toString());
    assertEquals("{\"enabled\":false,\"delayMs\":null}", citoid.get("hedging").toString());
    assertEquals(
        "{\"enabled\":true,\"minHealthyPercent\":70.0,\"active\":false}",
        citoid.get("zoneAwareness").toString(),
        "on by default, idle without a local zone");
    assertEquals("{\"enabled\":false}", citoid.get("slowStart").toString());
    assertEquals("[]", citoid.get("routes").toString());

    JsonNode mathoid = find(config.get("services"), "name", "mathoid");
    assertEquals(
        "registry https://[redacted]@registry.example/v1?token=[redacted]",
        mathoid.get("discovery").asText());
    assertEquals(750, mathoid.get("timeouts").get("perTryMs").asLong());
    assertEquals("{\"enabled\":true,\"delayMs\":40}", mathoid.get("hedging").toString());
    assertEquals(
        "{\"enabled\":true,\"windowMs\":30000,\"aggression\":1.0,\"minWeightPercent\":10.0}",
        mathoid.get("slowStart").toString());
    assertEquals(
        "{\"enabled\":true,\"method\":\"GET\",\"path\":\"/health?access_token=[redacted]\",\"intervalMs\":5000,"
            + "\"timeoutMs\":1000,\"healthyThreshold\":2,\"unhealthyThreshold\":3,\"passStatuses\":\"200-399\"}",
        mathoid.get("healthCheck").toString());

    String everything = admin.everything();
    for (String secret : List.of("hunter2", "abc123", "xyz789", "pa55word")) {
      assertFalse(everything.contains(secret), secret + " appears in the admin output");
    }
  }

  @Test
  void certsDescribeTheBuiltInCaIdentityOfAnMtlsMesh() throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    BuiltInCaSource restbase =
        closeLater(BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build());
    BuiltInCaSource mathoidSource =
        closeLater(BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build());
    TlsBackend backend = closeLater(new TlsBackend("mathoid", mathoidSource, MeshClock.system()));
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .security(MeshTls.builder().source(restbase).build())
                    .service("mathoid", s -> s.endpoints(backend.address()))
                    .service(
                        "legacy", s -> s.endpoints(Backends.closedAddress()).tls(TlsMode.DISABLED))
                    .build(),
                ANY_PORT));
    try (Response response =
        MeshOkHttp.of(mesh)
            .client()
            .newCall(new Request.Builder().url("http://mathoid/").build())
            .execute()) {
      assertEquals("mathoid saw " + RESTBASE, response.body().string());
    }

    AdminPages admin = new AdminPages(mesh);
    JsonNode certs = admin.json("/certs");
    assertEquals(RESTBASE.toString(), certs.get("localIdentity").asText());
    assertEquals(1, certs.get("certificates").size(), "only mathoid uses mutual TLS");
    JsonNode presented = certs.get("certificates").get(0);
    assertEquals("[\"mathoid\"]", presented.get("services").toString());
    assertEquals(RESTBASE.toString(), presented.get("identity").asText());
    X509Certificate leaf = restbase.current().leaf();
    assertEquals(leaf.getNotAfter().toInstant().toString(), presented.get("notAfter").asText());
    long secondsToExpiry = presented.get("secondsToExpiry").asLong();
    assertTrue(
        secondsToExpiry > Duration.ofHours(23).toSeconds()
            && secondsToExpiry <= Duration.ofHours(24).toSeconds(),
        "a fresh 24 h leaf: " + secondsToExpiry);
    assertEquals(restbase.current().chain().size(), presented.get("chain").size());
    JsonNode leafJson = presented.get("chain").get(0);
    assertEquals(leaf.getSubjectX500Principal().getName(), leafJson.get("subject").asText());
    assertEquals(
        ca.rootCertificate().getSubjectX500Principal().getName(), leafJson.get("issuer").asText());
    assertEquals(leaf.getSerialNumber().toString(16), leafJson.get("serialNumber").asText());
    assertEquals(leaf.getNotBefore().toInstant().toString(), leafJson.get("notBefore").asText());
    assertEquals(1, presented.get("trustAnchors").size());
    assertEquals(
        ca.rootCertificate().getSubjectX500Principal().getName(),
        presented.get("trustAnchors").get(0).get("subject").asText());

    JsonNode mathoid = find(certs.get("services"), "name", "mathoid");
    assertEquals("MUTUAL", mathoid.get("tls").asText());
    assertEquals("[\"" + MATHOID + "\"]", mathoid.get("expectedPeers").toString());
    JsonNode legacy = find(certs.get("services"), "name", "legacy");
    assertEquals("DISABLED", legacy.get("tls").asText());
    assertEquals(0, legacy.get("expectedPeers").size());

    JsonNode config = admin.json("/config");
    assertTrue(
        config.get("mesh").get("security").asText().startsWith("MeshTls{identity=" + RESTBASE),
        config.toString());
    assertEquals(
        "REFUSE_MESH_LIKE",
        config.get("mesh").get("unknownHosts").asText(),
        "the default with an identity");
    assertEquals("MUTUAL", find(config.get("services"), "name", "mathoid").get("tls").asText());
    assertEquals(
        "service", find(config.get("services"), "name", "legacy").get("tlsChosenBy").asText());

    String everything = admin.everything();
    assertFalse(everything.contains("PRIVATE KEY"));
    byte[] key = restbase.current().privateKey().getEncoded();
    assertFalse(
        everything.contains(Base64.getEncoder().encodeToString(key).substring(0, 40)),
        "key material appears");
  }

  @Test
  void readyAnswers503UntilEveryServiceHasEndpointsThen200() throws Exception {
    Backends backends = closeLater(Backends.answering(1, 200));
    PushedSource slow = new PushedSource("slow registry");
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service("citoid", s -> s.endpoints(backends.address(0)))
                    .service("mathoid", s -> s.discovery(slow))
                    .build(),
                ANY_PORT));
    AdminPages admin = new AdminPages(mesh);

    AdminPages.Page waiting = admin.get("/ready");
    assertEquals(503, waiting.status());
    assertEquals("[\"mathoid\"]", waiting.json().get("waiting").toString());
    assertEquals(
        "WAITING",
        find(waiting.json().get("services"), "name", "mathoid").get("discovery").asText());

    slow.push(Endpoint.of("127.0.0.1", backends.get(0).port()));
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(10)));
    AdminPages.Page ready = admin.get("/ready");
    assertEquals(200, ready.status());
    assertTrue(ready.json().get("ready").asBoolean());
    assertEquals(
        200,
        Backends.statusOf(
            MeshOkHttp.of(mesh).client(), new Request.Builder().url("http://mathoid/").build()));
  }

  @Test
  void routesShowTheLiveTableWithSubsetMembersAndTheRouteDecisions() throws Exception {
    Backends backends = closeLater(Backends.answering(2, 200));
    Endpoint v1 =
        Endpoint.builder("127.0.0.1", backends.get(0).port()).label("version", "v1").build();
    Endpoint v2 =
        Endpoint.builder("127.0.0.1", backends.get(1).port()).label("version", "v2").build();
    RouteTable canary =
        RouteTable.builder()
            .subset("v1", "version", "v1")
            .subset("v2", "version", "v2")
            .route(
                Route.builder("internal")
                    .pathPrefix("/admin")
                    .header("authorization", "Bearer t0ps3cret")
                    .to("v1")
                    .fault(f -> f.delay(Duration.ofMillis(100), 5).onlyWithHeader("x-chaos"))
                    .build())
            .route(
                Route.builder("canary")
                    .pathPrefix("/render")
                    .methods("GET", "POST")
                    .split("v1", 90)
                    .split("v2", 10)
                    .override("x-canary", "always", "v2")
                    .mirror("v2", 1.5)
                    .build())
            .build();
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service("mathoid", s -> s.endpoints(v1, v2).routes(canary))
                    .build(),
                ANY_PORT));
    AdminPages admin = new AdminPages(mesh);

    JsonNode service = admin.json("/routes").get("services").get(0);
    assertEquals("mathoid", service.get("name").asText());
    JsonNode subsetV2 = find(service.get("subsets"), "name", "v2");
    assertEquals("{\"version\":\"v2\"}", subsetV2.get("labels").toString());
    assertEquals("[\"" + v2.address() + "\"]", subsetV2.get("members").toString());
    assertEquals(1, subsetV2.get("candidates").asInt());
    assertFalse(subsetV2.get("panic").asBoolean());
    assertEquals(
        List.of("internal", "canary"),
        List.of(
            service.get("routes").get(0).get("name").asText(),
            service.get("routes").get(1).get("name").asText()),
        "in the order they are tried");
    JsonNode internal = service.get("routes").get(0);
    assertEquals(
        "{\"name\":\"authorization\",\"kind\":\"EXACT\",\"value\":\"[redacted]\"}",
        internal.get("headers").get(0).toString());
    assertEquals(
        "{\"delayMs\":100,\"delayPercent\":5.0,\"abortStatus\":0,\"abortConnection\":false,"
            + "\"abortPercent\":0.0,\"triggerHeader\":\"x-chaos\"}",
        internal.get("fault").toString());
    JsonNode route = service.get("routes").get(1);
    assertEquals("{\"kind\":\"PREFIX\",\"value\":\"/render\"}", route.get("path").toString());
    assertEquals("[\"GET\",\"POST\"]", route.get("methods").toString());
    assertEquals(
        "[{\"subset\":\"v1\",\"weight\":90},{\"subset\":\"v2\",\"weight\":10}]",
        route.get("split").toString());
    assertEquals(
        "[{\"header\":\"x-canary\",\"value\":\"always\",\"subset\":\"v2\"}]",
        route.get("overrides").toString());
    assertEquals(
        "{\"subset\":\"v2\",\"percent\":1.5,\"maxInFlight\":32,\"timeoutMs\":5000}",
        route.get("mirror").toString());
    assertTrue(route.get("fault").isNull());
    assertFalse(admin.everything().contains("t0ps3cret"));

    // A pinned call is routed, and the decision says where.
    assertEquals(
        200,
        Backends.statusOf(
            MeshOkHttp.of(mesh).client(),
            new Request.Builder()
                .url("http://mathoid/render")
                .header("x-canary", "always")
                .build()));
    JsonNode routed = find(admin.json("/decisions").get("decisions"), "kind", "ROUTE");
    assertEquals("override: route canary -> subset v2", routed.get("detail").asText());

    // A live swap (blue/green flip) shows at once.
    mesh.replaceRoutes(
        "mathoid",
        RouteTable.builder()
            .subset("v1", "version", "v1")
            .subset("v2", "version", "v2")
            .route(Route.builder("canary").to("v2").build())
            .build());
    JsonNode swapped = admin.json("/routes").get("services").get(0).get("routes");
    assertEquals(1, swapped.size());
    assertEquals("[{\"subset\":\"v2\",\"weight\":1}]", swapped.get(0).get("split").toString());
    assertTrue(swapped.get(0).get("path").isNull());
  }
}

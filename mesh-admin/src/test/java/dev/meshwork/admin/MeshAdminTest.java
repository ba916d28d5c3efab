package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.GetRequest;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.PushedDiscovery;
import dev.meshwork.core.RecordingExchange;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.policy.OutlierDetection;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint over a mesh whose transport is a recording stub and whose clock is manual, so
 * every number it shows is exact: readiness, the decision buffer fed by the pipeline and the
 * outlier detector, ejection state, and the HTTP rules (GET/HEAD only, JSON errors).
 * AdminEndpointTest checks the same pages against real backends.
 */
class MeshAdminTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Endpoint B = Endpoint.of("127.0.0.1", 9002);
  private static final AdminOptions ANY_PORT = AdminOptions.builder().port(0).build();

  private final ManualClock clock = new ManualClock();
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void readyAnswers503NamingTheWaitingServiceUntilItsDiscoveryAnswers() throws Exception {
    PushedDiscovery pushed = new PushedDiscovery();
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder()
                .clock(clock)
                .decisions(256)
                .service("citoid", s -> s.endpoints("127.0.0.1:9001"))
                .service("mathoid", s -> s.discovery(pushed))
                .build(),
            ANY_PORT)) {
      HttpResponse<String> waiting = get(mesh, "/ready");
      assertEquals(503, waiting.statusCode());
      JsonNode body = MAPPER.readTree(waiting.body());
      assertFalse(body.get("ready").asBoolean());
      assertEquals("[\"mathoid\"]", body.get("waiting").toString());
      assertEquals("citoid", body.get("services").get(0).get("name").asText());
      assertTrue(body.get("services").get(0).get("ready").asBoolean());
      JsonNode mathoid = body.get("services").get(1);
      assertFalse(mathoid.get("ready").asBoolean());
      assertEquals("WAITING", mathoid.get("discovery").asText());
      assertEquals("pushed", mathoid.get("source").asText());

      pushed.fail("resolver timed out");
      JsonNode failing = MAPPER.readTree(get(mesh, "/ready").body()).get("services").get(1);
      assertEquals("FAILING", failing.get("discovery").asText());
      assertEquals("resolver timed out", failing.get("lastError").asText());

      pushed.push(B);
      HttpResponse<String> ready = get(mesh, "/ready");
      assertEquals(200, ready.statusCode());
      JsonNode readyBody = MAPPER.readTree(ready.body());
      assertTrue(readyBody.get("ready").asBoolean());
      assertEquals(0, readyBody.get("waiting").size());
    }
  }

  @Test
  void decisionsAndClustersShowTheRetryAndTheEjectionAsTheyHappened() throws Exception {
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder()
                .clock(clock)
                .decisions(256)
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(B)
                            .outlierDetection(
                                OutlierDetection.builder()
                                    .consecutive5xx(2)
                                    .consecutiveGatewayFailures(2)
                                    .build()))
                .build(),
            ANY_PORT)) {
      // Two attempts (the default retry policy), both 503: the second makes a streak of 2 and
      // ejects.
      assertEquals(
          503,
          Invokers.of(mesh, "mathoid")
              .invoke(new GetRequest("/"), new RecordingExchange(Map.of(B.address(), 503), null)));

      JsonNode decisions = MAPPER.readTree(get(mesh, "/decisions").body());
      assertEquals(256, decisions.get("capacity").asInt());
      assertEquals(4, decisions.get("recorded").asInt());
      List<String> kinds = new ArrayList<>();
      decisions.get("decisions").forEach(d -> kinds.add(d.get("kind").asText()));
      assertEquals(List.of("EJECTION", "PICK", "RETRY", "PICK"), kinds, "newest first");
      JsonNode ejection = decisions.get("decisions").get(0);
      assertEquals(3, ejection.get("sequence").asInt());
      assertEquals("mathoid", ejection.get("service").asText());
      assertEquals(B.address(), ejection.get("endpoint").asText());
      assertEquals(
          "ejected: "
              + B.address()
              + " for 30000 ms (ejection #1): 2 consecutive 5xx or I/O failures,"
              + " the last answered 503",
          ejection.get("detail").asText());
      assertEquals(clock.now().toString(), ejection.get("time").asText());
      JsonNode retry = decisions.get("decisions").get(2);
      assertEquals(B.address(), retry.get("endpoint").asText());
      String retryDetail = retry.get("detail").asText();
      assertTrue(
          retryDetail.startsWith(
              "status_503: attempt 1 answered 503 from " + B.address() + "; retrying in "),
          retryDetail);
      assertEquals(
          B.address() + ": attempt 1 by least_request among 1",
          decisions.get("decisions").get(1).get("detail").asText());

      JsonNode service = MAPPER.readTree(get(mesh, "/clusters").body()).get("services").get(0);
      assertTrue(
          service.get("panic").asBoolean(),
          "0 of 1 endpoints healthy is below the 50% panic threshold");
      assertEquals(0, service.get("healthyEndpoints").asInt());
      JsonNode endpoint = service.get("endpoints").get(0);
      assertTrue(endpoint.get("ejected").asBoolean());
      assertEquals(1, endpoint.get("ejections").asInt());
      assertEquals(30_000, endpoint.get("ejectionRemainingMs").asLong());
      assertEquals(0, endpoint.get("successes").asLong());
      assertEquals(2, endpoint.get("failures").asLong());

      // Thirty seconds later the sweep returns it, and says so.
      clock.advance(Duration.ofSeconds(30));
      Invokers.runtime(mesh, "mathoid").outliers().sweep();
      JsonNode returned = MAPPER.readTree(get(mesh, "/decisions").body()).get("decisions").get(0);
      assertEquals("EJECTION", returned.get("kind").asText());
      assertEquals(
          "returned: " + B.address() + " is balanced again after its ejection",
          returned.get("detail").asText());
      JsonNode back = MAPPER.readTree(get(mesh, "/clusters").body()).get("services").get(0);
      assertFalse(back.get("endpoints").get(0).get("ejected").asBoolean());
      assertTrue(back.get("endpoints").get(0).get("ejectionRemainingMs").isNull());
      assertFalse(back.get("panic").asBoolean());
    }
  }

  @Test
  void onlyGetAndHeadAreServedAndErrorsAreJson() throws Exception {
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder()
                .clock(clock)
                .decisions(256)
                .service("mathoid", s -> s.endpoints(B))
                .build(),
            ANY_PORT)) {
      HttpResponse<String> post =
          http.send(
              HttpRequest.newBuilder(uri(mesh, "/clusters"))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(405, post.statusCode());
      assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElse(null));
      assertEquals(405, MAPPER.readTree(post.body()).get("status").asInt());

      HttpResponse<String> missing = get(mesh, "/stats");
      assertEquals(404, missing.statusCode());
      assertTrue(
          missing.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
      assertTrue(
          MAPPER.readTree(missing.body()).get("error").asText().contains("/clusters"),
          missing.body());

      HttpResponse<String> head =
          http.send(
              HttpRequest.newBuilder(uri(mesh, "/clusters"))
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, head.statusCode());
      assertEquals("", head.body());

      assertEquals(
          200, get(mesh, "/clusters?verbose=1").statusCode(), "the query string is ignored");
      HttpResponse<String> dashboard = get(mesh, "/");
      assertEquals(200, dashboard.statusCode());
      assertTrue(dashboard.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(dashboard.body().contains("<title>Meshwork admin</title>"));
    }
  }

  @Test
  void theEndpointListensOnLoopbackAndIsOnePerMesh() throws Exception {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(B)).build()) {
      MeshAdmin admin = MeshAdmin.start(mesh, ANY_PORT);
      assertTrue(admin.address().getAddress().isLoopbackAddress());
      assertEquals(URI.create("http://127.0.0.1:" + admin.address().getPort() + "/"), admin.uri());
      IllegalStateException second =
          assertThrows(IllegalStateException.class, () -> MeshAdmin.start(mesh, ANY_PORT));
      assertTrue(second.getMessage().contains(admin.uri().toString()), second.getMessage());
    }
  }

  @Test
  void closingTheAdminStopsOnlyTheEndpoint() throws Exception {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(B)).build()) {
      MeshAdmin admin = MeshAdmin.start(mesh, ANY_PORT);
      int port = admin.address().getPort();
      admin.close();
      assertThrows(
          ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
      assertEquals(List.of(B), mesh.endpoints("mathoid"));
    }
  }

  @Test
  void theServerThreadsAreDaemonsSoAnUnclosedMeshNeverKeepsTheJvmAlive() throws Exception {
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder().decisions(256).service("mathoid", s -> s.endpoints(B)).build(),
            ANY_PORT)) {
      assertEquals(200, get(mesh, "/clusters").statusCode());
      List<Thread> serving = new ArrayList<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        // The JDK names its dispatcher thread; only admin servers run one in this module's tests.
        if (thread.getName().equals("HTTP-Dispatcher")
            || thread.getName().startsWith("meshwork-admin-")) {
          serving.add(thread);
        }
      }
      assertTrue(
          serving.stream().anyMatch(t -> t.getName().equals("HTTP-Dispatcher")),
          serving.toString());
      for (Thread thread : serving) {
        assertTrue(thread.isDaemon(), thread + " is not a daemon thread");
      }
    }
  }

  @Test
  void closingTheMeshClosesTheEndpoint() throws Exception {
    Mesh mesh =
        MeshAdmins.started(
            Mesh.builder().decisions(256).service("mathoid", s -> s.endpoints(B)).build(),
            ANY_PORT);
    int port = MeshAdmins.of(mesh).address().getPort();
    assertEquals(200, get(mesh, "/clusters").statusCode());
    mesh.close();
    assertThrows(
        ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
  }

  @Test
  void aPortInUseFailsTheStartNamingTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      MeshStartupException refused =
          assertThrows(
              MeshStartupException.class,
              () ->
                  MeshAdmins.started(
                      Mesh.builder().decisions(256).service("mathoid", s -> s.endpoints(B)).build(),
                      AdminOptions.builder().port(taken.getLocalPort()).build()));
      assertTrue(
          refused.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), refused.getMessage());
    }
  }

  private HttpResponse<String> get(Mesh mesh, String path)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri(mesh, path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(Mesh mesh, String path) {
    return MeshAdmins.of(mesh).uri().resolve(path);
  }
}

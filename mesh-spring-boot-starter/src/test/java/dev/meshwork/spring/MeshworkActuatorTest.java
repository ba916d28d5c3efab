package dev.meshwork.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A web application whose mesh comes from a document file: the Actuator endpoint and health
 * indicator over HTTP, and a change to the file applied without a restart (a broken one refused,
 * the last good kept).
 */
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MeshworkActuatorTest {
  private static final Backend V1 = Backend.start("v1");
  private static final Backend V2 = Backend.start("v2");
  private static final Path DOCUMENT = tempFile();

  static {
    write("1", V1.address());
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("meshwork.config-location", () -> "file:" + DOCUMENT);
    registry.add("meshwork.watch-interval", () -> "100ms");
    registry.add("management.endpoints.web.exposure.include", () -> "health,meshwork");
    registry.add("management.endpoint.health.show-details", () -> "always");
  }

  @AfterAll
  static void stop() {
    V1.close();
    V2.close();
  }

  @Value("${local.server.port}")
  int port;

  @Autowired Mesh mesh;
  @Autowired OkHttpClient okHttp;

  @Test
  void endpointShowsServicesEndpointsAndConfig() throws Exception {
    String json = get("/actuator/meshwork");
    assertTrue(json.contains("\"mathoid\""), json);
    // the live-change test may have moved mathoid to v2 already
    assertTrue(
        json.contains("\"address\":\"" + V1.address() + "\"")
            || json.contains("\"address\":\"" + V2.address() + "\""),
        json);
    assertTrue(json.contains("\"breaker\":\"CLOSED\""), json);
    assertTrue(json.contains("\"generation\""), json);
  }

  @Test
  void healthIndicatorIsUpOnceDiscoveryAnswered() throws Exception {
    JsonNode meshwork =
        new ObjectMapper().readTree(get("/actuator/health")).path("components").path("meshwork");
    assertEquals("UP", meshwork.path("status").asText(), meshwork.toString());
    assertEquals(
        "HEALTHY",
        meshwork.path("details").path("services").path("mathoid").path("discovery").asText());
  }

  @Test
  void documentChangeAppliesLiveAndABrokenOneIsRefused() throws Exception {
    assertEquals("v1", call());
    long generation = mesh.configStatus().generation();

    write("2", V2.address());
    await(() -> mesh.configStatus().version().equals("2"));
    assertEquals("v2", call());

    Files.writeString(
        DOCUMENT, "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices: {mathoid: {}}\n");
    await(() -> mesh.configStatus().lastError().isPresent());
    assertEquals("2", mesh.configStatus().version());
    assertEquals(generation + 1, mesh.configStatus().generation());
    assertEquals("v2", call());
    String json = get("/actuator/meshwork");
    assertTrue(json.contains("\"lastError\""), json);
    assertTrue(json.contains("discovery"), json);
  }

  private String call() throws IOException {
    try (Response response =
        okHttp.newCall(new Request.Builder().url("http://mathoid/render").build()).execute()) {
      return response.body().string();
    }
  }

  private String get(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return response.body();
  }

  /** Polls {@code condition} every 10 ms for at most ten seconds. */
  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos()); // polling, not synchronizing
    }
  }

  private static Path tempFile() {
    try {
      return Files.createTempDirectory("meshwork-spring").resolve("mesh.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String version, String address) {
    try {
      Files.writeString(
          DOCUMENT,
          "apiVersion: meshwork.dev/v1alpha1\n"
              + "kind: Mesh\n"
              + "metadata: {version: \""
              + version
              + "\"}\n"
              // a mesh section, repeated unchanged, lets the services change live
              + "mesh: {localZone: zone-a}\n"
              + "services:\n"
              + "  mathoid:\n"
              + "    discovery: {static: [\""
              + address
              + "\"]}\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

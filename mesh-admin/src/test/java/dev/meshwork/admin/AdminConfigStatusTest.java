package dev.meshwork.admin;

import static dev.meshwork.admin.AdminPages.find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.MeshConfigurer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /config} over HTTP says which configuration the mesh runs on and shows the last refused
 * one, redacted, until a later one applies; the dashboard carries the place that shows it.
 */
class AdminConfigStatusTest {
  private Mesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  @Test
  void configShowsTheStatusOfEachApplyAndTheLastRefusal() throws Exception {
    mesh =
        MeshAdmins.started(
            Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:8081")).build(),
            AdminOptions.builder().port(0).build());
    AdminPages admin = new AdminPages(mesh);

    JsonNode built = admin.json("/config").get("configStatus");
    assertEquals("builder", built.get("source").asText());
    assertEquals("1", built.get("version").asText());
    assertEquals(1, built.get("generation").asLong());
    assertEquals(mesh.configStatus().appliedAt(), Instant.parse(built.get("appliedAt").asText()));
    assertTrue(built.get("lastError").isNull());

    MeshConfigurer configurer = MeshConfigurer.of(mesh);
    configurer.apply(
        List.of(
            ServiceConfig.builder("mathoid")
                .endpoints("127.0.0.1:8081")
                .retries(RetryPolicy.disabled())
                .build()),
        "/etc/meshwork/mesh.yaml",
        "sha256:3f2a");
    JsonNode config = admin.json("/config");
    JsonNode applied = config.get("configStatus");
    assertEquals("/etc/meshwork/mesh.yaml", applied.get("source").asText());
    assertEquals("sha256:3f2a", applied.get("version").asText());
    assertEquals(2, applied.get("generation").asLong());
    assertEquals(
        1,
        find(config.get("services"), "name", "mathoid").get("retries").get("maxAttempts").asInt());

    assertThrows(
        MeshConfigException.class,
        () ->
            configurer.apply(
                List.of(
                    ServiceConfig.builder("mathoid")
                        .endpoints("127.0.0.1:8081")
                        .tls(TlsMode.MUTUAL)
                        .build()),
                "/etc/meshwork/mesh.yaml",
                "sha256:9b1c"));
    JsonNode refused = admin.json("/config").get("configStatus");
    assertEquals(2, refused.get("generation").asLong(), "the refused one changed nothing");
    assertEquals("sha256:9b1c", refused.get("lastError").get("version").asText());
    assertTrue(
        refused
            .get("lastError")
            .get("message")
            .asText()
            .startsWith("service 'mathoid' tls: 'MUTUAL' is invalid"),
        refused.toString());

    configurer.rejected(
        "https://deploy:hunter2@configs.example/mesh.yaml", "7", "line 3: token=abc123 unknown");
    JsonNode rejected = admin.json("/config").get("configStatus").get("lastError");
    assertEquals("https://[redacted]@configs.example/mesh.yaml", rejected.get("source").asText());
    assertTrue(!rejected.toString().contains("hunter2"), rejected.toString());
    assertTrue(!rejected.toString().contains("abc123"), rejected.toString());

    configurer.apply(
        List.of(ServiceConfig.builder("mathoid").endpoints("127.0.0.1:8081").build()),
        "/etc/meshwork/mesh.yaml",
        "sha256:77aa");
    JsonNode fixed = admin.json("/config").get("configStatus");
    assertEquals(3, fixed.get("generation").asLong());
    assertTrue(fixed.get("lastError").isNull(), "a good apply clears the last error");

    String dashboard = admin.get("/").body();
    assertTrue(dashboard.contains("id=\"config\""), "the dashboard has a place for the status");
    assertTrue(dashboard.contains("configStatus"), "and fills it from /config");
  }

  @Test
  void warningsOfTheConfigurationInUseAreShownRedactedUntilTheNextApply() throws Exception {
    mesh =
        MeshAdmins.started(
            Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:8081")).build(),
            AdminOptions.builder().port(0).build());
    AdminPages admin = new AdminPages(mesh);
    assertEquals(0, admin.json("/config").get("configStatus").get("warnings").size());

    MeshConfigurer configurer = MeshConfigurer.of(mesh);
    List<ServiceConfig> services =
        List.of(ServiceConfig.builder("mathoid").endpoints("127.0.0.1:8081").build());
    configurer.apply(
        services,
        "xds localhost:15010",
        "{Cluster=2}",
        List.of(
            "Cluster 'mathoid' health_checks[0] = {timeout {seconds: 1}}: not supported by Meshwork",
            "RouteConfiguration 'routes' request_headers_to_add[0] = authorization: Bearer abc123"));
    JsonNode warnings = admin.json("/config").get("configStatus").get("warnings");
    assertEquals(2, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).asText().startsWith("Cluster 'mathoid' health_checks[0]"));
    assertTrue(!warnings.toString().contains("abc123"), "warnings are redacted: " + warnings);
    assertTrue(admin.get("/").body().contains("config-warnings"), "the dashboard shows them");

    configurer.apply(services, "xds localhost:15010", "{Cluster=3}");
    assertEquals(0, admin.json("/config").get("configStatus").get("warnings").size());
  }
}

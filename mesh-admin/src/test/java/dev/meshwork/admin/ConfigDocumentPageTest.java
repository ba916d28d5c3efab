package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.routing.RouteTable;
import org.junit.jupiter.api.Test;

/** {@code /config/document}: the running mesh's effective document, which loads back as it is. */
class ConfigDocumentPageTest {
  private static final AdminOptions ANY_PORT = AdminOptions.builder().port(0).build();

  @Test
  void servesTheEffectiveDocumentInYamlAndJson() throws Exception {
    MeshConfig config =
        MeshConfig.parse(
            """
            apiVersion: meshwork.dev/v1alpha1
            kind: Mesh
            services:
              mathoid:
                discovery: {static: ["127.0.0.1:8081 version=v1", "127.0.0.1:8082 version=v2"]}
                timeouts: {perTry: 300ms, overall: 2s}
                subsets: {v1: {version: v1}, v2: {version: v2}}
                routes:
                  - name: render
                    split: [{subset: v1, weight: 95}, {subset: v2, weight: 5}]
            """,
            "mesh.yaml");
    try (Mesh mesh = MeshAdmins.started(config.build(), ANY_PORT)) {
      AdminPages pages = new AdminPages(mesh);
      AdminPages.Page yaml = pages.get("/config/document");
      assertEquals(200, yaml.status(), yaml.body());
      assertTrue(yaml.body().startsWith("apiVersion: meshwork.dev/v1alpha1\n"), yaml.body());
      assertEquals(config, MeshConfig.parse(yaml.body(), "admin.yaml"));
      AdminPages.Page json = pages.get("/config/document.json");
      assertEquals(200, json.status(), json.body());
      assertEquals(config, MeshConfig.parse(json.body(), "admin.json"));
      assertEquals("5", json.json().at("/services/mathoid/routes/0/split/1/weight").asText());
    }
  }

  @Test
  void aBuilderMadeMeshHasADocumentTooWithCredentialsRedacted() throws Exception {
    try (Mesh mesh =
        MeshAdmins.started(
            Mesh.builder()
                .service(
                    "billing",
                    s ->
                        s.endpoints("127.0.0.1:9001 version=v1 api-token=t0k3n-in-a-label")
                            .routes(
                                RouteTable.builder()
                                    .subset("v1", "version", "v1")
                                    .route(
                                        "pinned",
                                        r ->
                                            r.header("x-api-key", "k3y-in-a-route")
                                                .override("x-auth-token", "s3cr3t", "v1"))
                                    .build()))
                .build(),
            ANY_PORT)) {
      String body = new AdminPages(mesh).get("/config/document").body();
      for (String secret : new String[] {"t0k3n-in-a-label", "k3y-in-a-route", "s3cr3t"}) {
        assertFalse(body.contains(secret), secret + " in\n" + body);
      }
      assertTrue(body.contains("name: pinned"), body);
      MeshConfig served = MeshConfig.parse(body, "admin.yaml");
      assertEquals(1, served.services().size());
    }
  }
}

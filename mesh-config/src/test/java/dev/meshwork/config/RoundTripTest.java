package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.Mesh;
import org.junit.jupiter.api.Test;

/**
 * Builder and document are two views of one model: every setting of a document survives document ->
 * MeshConfig -> Mesh -> MeshConfig.of(mesh) -> document.
 */
class RoundTripTest {

  @Test
  void everySettingOfTheRichDocumentReachesTheEffectiveDocument() {
    String rich = Documents.resource("rich.yaml");
    MeshConfig config = MeshConfig.parse(rich, "rich.yaml");
    Documents.assertContains(Documents.tree(rich), Documents.tree(config.toYaml()), "");
    // The effective document is a fixed point: it loads back to itself.
    assertEquals(config, MeshConfig.parse(config.toYaml(), "effective.yaml"));
    assertEquals(config, MeshConfig.parse(config.toJson(), "effective.json"));
  }

  @Test
  void theRichDocumentSurvivesARunningMesh() {
    // Discovery of the rich document never answers here, so build() must not wait for it.
    String rich =
        Documents.resource("rich.yaml").replace("awaitDiscovery: 3s", "awaitDiscovery: 0s");
    MeshConfig config = MeshConfig.parse(rich, "rich.yaml");
    try (Mesh mesh = config.build()) {
      MeshConfig running = MeshConfig.of(mesh);
      assertEquals(config.toYaml(), running.toYaml());
      JsonNode tree = Documents.tree(running.toYaml());
      Documents.assertContains(Documents.tree(rich), tree, "");
    }
  }
}

package dev.meshwork.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.config.MeshConfig;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the mesh document parser, YAML and JSON: any text is either a config whose effective
 * document loads back to an equal config, or refused with {@link ConfigDocumentException} whose
 * every problem names the source and says what was expected. Any other exception, a {@code
 * StackOverflowError} or a hang is a finding. Seeds: {@code
 * src/test/resources/dev/meshwork/config/internal/DocumentFuzzTestInputs}.
 */
class DocumentFuzzTest {

  @FuzzTest
  void yaml(byte[] content) {
    check(new String(content, StandardCharsets.UTF_8), "mesh.yaml");
  }

  @FuzzTest
  void json(byte[] content) {
    check(new String(content, StandardCharsets.UTF_8), "mesh.json");
  }

  private static void check(String text, String source) {
    MeshConfig config;
    try {
      config = MeshConfig.parse(text, source);
    } catch (ConfigDocumentException e) {
      assertFalse(e.problems().isEmpty());
      for (Problem problem : e.problems()) {
        assertEquals(source, problem.source(), e.getMessage());
        assertFalse(problem.expected().isBlank(), e.getMessage());
      }
      return;
    }
    // The effective document is a fixed point, in both notations.
    assertEquals(config, MeshConfig.parse(config.toYaml(), "effective.yaml"));
    assertEquals(config, MeshConfig.parse(config.toJson(), "effective.json"));
    assertTrue(config.explain().startsWith("apiVersion = "), config.explain());
  }
}

package dev.meshwork.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.config.MeshConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the importer of Kubernetes manifests (Gateway API, Istio), leniently and strictly, over a
 * mesh document that gives the service {@code reviews} its endpoints: any text is either a config
 * whose effective document loads back to an equal config, or refused with {@link
 * ConfigDocumentException} whose every problem names its file and says what was expected. Any other
 * exception, a {@code StackOverflowError} or a hang is a finding. Seeds: {@code
 * src/test/resources/dev/meshwork/config/internal/ImportFuzzTestInputs}.
 */
class ImportFuzzTest {
  private static final Path DIR = directory();
  private static final Path BASE = DIR.resolve("mesh.yaml");
  private static final Path ROUTES = DIR.resolve("routes.yaml");

  @FuzzTest
  void manifests(byte[] content) throws IOException {
    Files.write(ROUTES, content);
    check(MeshConfig.Imports.LENIENT);
    check(MeshConfig.Imports.STRICT);
  }

  private static void check(MeshConfig.Imports imports) {
    MeshConfig config;
    try {
      config = MeshConfig.load(imports, BASE, ROUTES);
    } catch (ConfigDocumentException e) {
      assertFalse(e.problems().isEmpty());
      for (Problem problem : e.problems()) {
        assertFalse(problem.source().isBlank(), e.getMessage());
        assertFalse(problem.expected().isBlank(), e.getMessage());
      }
      return;
    }
    config.lint();
    assertEquals(config, MeshConfig.parse(config.toYaml(), "effective.yaml"));
    assertFalse(config.explain().isEmpty());
  }

  private static Path directory() {
    try {
      Path dir = Files.createTempDirectory("import-fuzz");
      Files.writeString(
          dir.resolve("mesh.yaml"),
          "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices:\n  reviews:\n"
              + "    discovery: {static: [\"127.0.0.1:9001 version=v1\","
              + " \"127.0.0.1:9002 version=v2\", \"127.0.0.1:9003 version=v3\"]}\n",
          StandardCharsets.UTF_8);
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.internal.SchemaCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files, overrides, class-path resources, explain() and the published schema. */
class SourcesTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  @Test
  void overridesMergeByKeyReplaceListsAndRemoveWithNull(@TempDir Path dir) throws Exception {
    Path base = dir.resolve("base.yaml");
    Files.writeString(
        base,
        HEAD
            + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\", \"10.0.0.2:80\"]}\n"
            + "    retries: {maxAttempts: 3, maxRetryAfter: 2s}\n    hedging: {delay: 20ms}\n"
            + "  citoid:\n    discovery: {static: [\"10.0.1.1:80\"]}\n");
    Path override = dir.resolve("canary.yaml");
    Files.writeString(
        override,
        HEAD
            + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.3:80\"]}\n"
            + "    retries: {maxAttempts: 4}\n    hedging: null\n");
    MeshConfig config = MeshConfig.load(base, override);
    var mathoid = config.services().get(0);
    assertEquals(4, mathoid.retries().maxAttempts(), "override wins");
    assertEquals(
        java.time.Duration.ofSeconds(2), mathoid.retries().maxRetryAfter(), "merged by key");
    assertEquals("static[1 endpoints]", mathoid.discovery().describe(), "a list is replaced");
    assertTrue(mathoid.hedgeDelay().isEmpty(), "null removes");
    assertEquals(2, config.services().size());

    String explain = config.explain();
    assertTrue(
        explain.contains("services.mathoid.retries.maxAttempts = 4  # " + override + ":6:"),
        explain);
    assertTrue(
        explain.contains("services.mathoid.retries.maxRetryAfter = 2s  # " + base + ":6:"),
        explain);
    assertTrue(
        explain.contains("services.mathoid.retries.backoff.base = 25ms  # default"), explain);
    assertTrue(explain.contains("services.mathoid.hedging.delay = none  # default"), explain);
    assertTrue(explain.contains("services.mathoid.timeouts.overall = none  # default"), explain);

    ConfigDocumentException e =
        assertThrows(
            ConfigDocumentException.class,
            () -> {
              Files.writeString(
                  override, HEAD + "services:\n  mathoid:\n    retries: {maxAttempts: 0}\n");
              MeshConfig.load(base, override);
            });
    assertEquals(override.toString(), e.problems().get(0).source());
    assertEquals(5, e.problems().get(0).line());
  }

  @Test
  void aMissingFileOrResourceIsRefused(@TempDir Path dir) {
    ConfigDocumentException file =
        assertThrows(
            ConfigDocumentException.class, () -> MeshConfig.load(dir.resolve("none.yaml")));
    assertTrue(file.getMessage().contains("none.yaml"), file.getMessage());
    ConfigDocumentException resource =
        assertThrows(
            ConfigDocumentException.class, () -> MeshConfig.fromClasspath("none/mesh.yaml"));
    assertTrue(resource.getMessage().contains("classpath:none/mesh.yaml"), resource.getMessage());
  }

  @Test
  void aClasspathResourceLoads() {
    MeshConfig config = MeshConfig.fromClasspath("dev/meshwork/config/rich.yaml");
    assertEquals(4, config.services().size());
    assertTrue(
        config.explain().contains("# classpath:dev/meshwork/config/rich.yaml:"), config.explain());
  }

  @Test
  void thePublishedSchemaIsTheOneTheValidatorUses() throws Exception {
    Path published = Path.of("..", "docs", "config", "meshwork-v1alpha1.schema.json");
    String resource;
    try (var in = SchemaCheck.class.getClassLoader().getResourceAsStream(SchemaCheck.RESOURCE)) {
      resource = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertEquals(
        Files.readString(published), resource, "docs/config and the module's resource differ");
  }
}

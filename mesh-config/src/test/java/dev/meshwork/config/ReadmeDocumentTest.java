package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's example document is valid and means what its section says. */
class ReadmeDocumentTest {

  @Test
  void theReadmeDocumentCompiles() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Configuration as data");
    assertTrue(section >= 0, "README has a Configuration as data section");
    Matcher block = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(readme);
    assertTrue(block.find(section), "the section has a yaml block");
    MeshConfig config = MeshConfig.parse(block.group(1), "README.md");
    assertEquals(1, config.services().size());
    var mathoid = config.services().get(0);
    assertEquals(3, mathoid.retries().maxAttempts());
    assertEquals(5, mathoid.routes().route("render").orElseThrow().split().get(1).weight());
    assertEquals(MeshConfig.parse(config.toYaml(), "effective.yaml"), config);
    assertEquals(List.of(), config.lint());
  }

  /** The plan the README shows is what moving its canary to 50% and perTry to 250ms prints. */
  @Test
  void theReadmePlanIsTheRealOutput() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int section = readme.indexOf("## Configuration as data");
    Matcher yaml = Pattern.compile("(?s)```yaml\\n(.*?)```").matcher(readme);
    assertTrue(yaml.find(section), "the section has a yaml block");
    String current = yaml.group(1);
    String candidate =
        current
            .replace("perTry: 300ms", "perTry: 250ms")
            .replace("{subset: v1, weight: 95}", "{subset: v1, weight: 50}")
            .replace("{subset: v2, weight: 5}", "{subset: v2, weight: 50}");
    ConfigPlan plan =
        MeshConfig.plan(
            MeshConfig.parse(current, "mesh.yaml"), MeshConfig.parse(candidate, "mesh.yaml"));
    Matcher text = Pattern.compile("(?s)```text\\n(.*?)```").matcher(readme);
    assertTrue(text.find(section), "the section shows a plan");
    assertEquals(plan.toString(), text.group(1));
  }
}

package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
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
  }
}

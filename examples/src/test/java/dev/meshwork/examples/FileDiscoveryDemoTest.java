package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the endpoints file while the demo runs moves the traffic. */
class FileDiscoveryDemoTest {

  @Test
  void rewritingTheFileMovesTrafficToTheNewInstance(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    List<Map<String, Integer>> phases =
        FileDiscoveryDemo.run(
            new PrintStream(buffer, true, StandardCharsets.UTF_8),
            dir.resolve("endpoints.yaml"),
            false);

    int half = FileDiscoveryDemo.CALLS_PER_PHASE / 2;
    assertEquals(Map.of("mathoid-1", half, "mathoid-2", half), phases.get(0));
    assertEquals(Map.of("mathoid-3", FileDiscoveryDemo.CALLS_PER_PHASE), phases.get(1));
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("no restart, no failed call"));
  }
}

package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The xDS demo's control plane moves restbase's calls to mathoid from 90/10 to 0/100. */
class XdsDemoTest {

  @Test
  void theSecondSnapshotSendsEveryCallToV2() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    List<Map<String, Integer>> phases =
        XdsDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    int v1 = phases.get(0).getOrDefault("mathoid-v1", 0);
    assertEquals(XdsDemo.CALLS_PER_PHASE, v1 + phases.get(0).getOrDefault("mathoid-v2", 0));
    assertTrue(v1 > XdsDemo.CALLS_PER_PHASE / 2, "most calls go to v1 at 90/10: " + phases);
    assertEquals(Map.of("mathoid-v2", XdsDemo.CALLS_PER_PHASE), phases.get(1));
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("mathoid:8080=ready"));
  }
}

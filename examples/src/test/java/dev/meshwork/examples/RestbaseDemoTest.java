package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's demo keeps working: every instance serves its share, and the output says so. */
class RestbaseDemoTest {

  @Test
  void demoSpreadsCallsOverTheThreeInstancesAndPrintsTheDistribution() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Map<String, Integer> servedBy = RestbaseDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));

    int share = RestbaseDemo.CALLS / 3;
    assertEquals(Map.of("mathoid-1", share, "mathoid-2", share, "mathoid-3", share), servedBy);
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("call  1 served by mathoid-1 at 127.0.0.1:"), output);
    // Every call went over mutual TLS 1.3 to a peer with mathoid's identity.
    long verified = output.lines()
        .filter(line -> line.endsWith("(TLSv1.3 peer spiffe://cluster.local/ns/default/sa/mathoid)"))
        .count();
    assertEquals(RestbaseDemo.CALLS, verified, output);
    assertTrue(output.contains("Distribution over 12 calls"), output);
    assertTrue(output.contains("mathoid-3    4  ####"), output);
  }
}

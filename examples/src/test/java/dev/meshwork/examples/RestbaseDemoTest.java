package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's demo keeps working: every instance serves its share, a broken one is ejected and
 * returns, a canary takes its share and then all traffic, and the output says so.
 */
class RestbaseDemoTest {

  @Test
  void demoSpreadsCallsOverTheThreeInstancesAndPrintsTheDistribution() throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    RestbaseDemo.Outcome outcome =
        RestbaseDemo.run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    Map<String, Integer> servedBy = outcome.servedBy();

    int share = RestbaseDemo.CALLS / 3;
    assertEquals(Map.of("mathoid-1", share, "mathoid-2", share, "mathoid-3", share), servedBy);
    String output = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(output.contains("call  1 served by mathoid-1 at 127.0.0.1:"), output);
    // Every call went over mutual TLS 1.3 to a peer with mathoid's identity.
    long verified =
        output
            .lines()
            .filter(
                line ->
                    line.endsWith("(TLSv1.3 peer spiffe://cluster.local/ns/default/sa/mathoid)"))
            .count();
    assertEquals(RestbaseDemo.CALLS, verified, output);
    assertTrue(output.contains("Distribution over 12 calls"), output);
    assertTrue(output.matches("(?s).*Admin dashboard: http://127\\.0\\.0\\.1:\\d+/ .*"), output);
    assertTrue(output.contains("mathoid-3    4  ####"), output);

    // Scene 2: mathoid-2 answers 503; it is ejected after 3 failed attempts, each retried on
    // another instance so no call fails, and once healed it comes back after its 2 s ejection.
    BrokenInstanceScene.Result broken = outcome.brokenInstance();
    assertTrue(broken.ejectedAfterCalls() > 0, output);
    assertEquals(0, broken.failedCalls(), output);
    assertTrue(broken.returned(), output);
    assertTrue(
        output.contains(
            "mathoid-2 ejected after "
                + broken.ejectedAfterCalls()
                + " calls; failed calls so far: 0"),
        output);
    assertTrue(output.contains("mathoid-2 returned to balancing and serves calls again"), output);
    assertTrue(output.contains("Scene 2: " + broken.calls() + " calls, failed calls: 0"), output);

    // Scene 3: the canary takes 10% of 200 calls (the demo's seed fixes the draws; tolerance +-5
    // points), then the flip sends every call to v2.
    CanaryScene.Result canary = outcome.canary();
    assertEquals(
        CanaryScene.CANARY_CALLS,
        canary.canary().values().stream().mapToInt(Integer::intValue).sum(),
        output);
    assertEquals(
        10.0,
        100.0 * canary.canary().getOrDefault("v2", 0) / CanaryScene.CANARY_CALLS,
        5.0,
        output);
    assertEquals(Map.of("v2", CanaryScene.FLIPPED_CALLS), canary.flipped(), output);
    assertEquals(0, canary.failedCalls(), output);
    assertTrue(output.contains("Scene 3: the move to v2 is complete; failed calls: 0"), output);

    // Scene 4: edits of the watched file move v2 to 10%, 50%, then 10% again (+-7 points), each
    // after a plan naming the weights that change.
    ConfigFileScene.Result configFile = outcome.configFile();
    assertEquals(0, configFile.failedCalls(), output);
    for (int step = 0; step < ConfigFileScene.CANARY_PERCENTS.length; step++) {
      assertEquals(
          ConfigFileScene.CANARY_PERCENTS[step],
          100.0 * configFile.v2Calls().get(step) / ConfigFileScene.CALLS,
          7.0,
          output);
    }
    assertTrue(
        output.contains("    ~ mathoid route render: v1 weight 90 -> 50; v2 weight 10 -> 50"),
        output);
    assertTrue(
        output.contains("    ~ mathoid route render: v1 weight 50 -> 90; v2 weight 50 -> 10"),
        output);
    assertTrue(output.contains("Scene 4: three edits applied live; failed calls: 0"), output);

    // The golden-metrics summary: one line per instance; mathoid-2's 503s show in its success rate.
    assertTrue(
        output.contains("Golden metrics (http.client.request.duration, one sample per attempt):"),
        output);
    List<String> rows =
        output.lines().filter(line -> line.matches("  mathoid-\\d +\\d+ +[0-9.]+% .*")).toList();
    assertEquals(3, rows.size(), output);
    assertTrue(
        rows.get(0).matches("  mathoid-1 +\\d+ +100\\.0% +[0-9.]+ ms +[0-9.]+ ms"), rows.get(0));
    assertFalse(
        rows.get(1).contains(" 100.0%"), "mathoid-2 answered 503 for a while: " + rows.get(1));
  }
}

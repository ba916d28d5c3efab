package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** When a run counts as steady, and how the mesh's lag behind raw OkHttp is judged. */
class StartupReportTest {

  @Test
  void aRunIsSteadyFromTheSecondAfterWhichNoSecondFallsBelowNinetyPercentOfTheLevel() {
    // Level 1,000: second 3 reaches 950 but second 4 dips to 850, so steady from second 5. The last
    // second with calls (300) is partial and the zeros after it are past the load's end.
    long[] perSecond = {0, 200, 600, 950, 850, 920, 1000, 980, 300, 0, 0};

    assertEquals(5.0, StartupReport.steadyFrom(perSecond, 1000));
  }

  @Test
  void aRunThatNeverReachesTheLevelIsNeverSteady() {
    assertTrue(Double.isNaN(StartupReport.steadyFrom(new long[] {0, 500, 800, 880, 400}, 1000)));
  }

  @Test
  void theLagIsTheMeshsSteadySecondMinusRawOkHttpsRoundByRoundAndNeverCountsAsPastTheEnd() {
    // Round 1: mesh steady from 4, raw from 2; round 2: mesh never (6 seconds, so 7), raw from 3.
    List<LoadResult> mesh =
        List.of(run(0, 100, 500, 800, 1000, 1000, 500), run(0, 100, 500, 800, 800, 800));
    List<LoadResult> raw =
        List.of(run(0, 500, 1000, 1000, 1000, 1000, 500), run(0, 100, 500, 1000, 1000, 500));

    assertArrayEquals(new double[] {2, 4}, StartupReport.lags(mesh, raw, 1000, 1000));
  }

  @Test
  void theReportShowsEachSecondAndTheColdRoundsLagAgainstTheTarget() {
    Map<Phase, Map<Scenario, List<LoadResult>>> byPhase = new LinkedHashMap<>();
    byPhase.put(
        Phase.STARTUP,
        new EnumMap<>(
            Map.of(
                Scenario.S0, List.of(run(0, 800, 1000, 1000, 400)),
                Scenario.S1, List.of(run(0, 400, 1000, 1000, 400)))));
    byPhase.put(
        Phase.COLD,
        new EnumMap<>(
            Map.of(
                Scenario.S0, List.of(run(0, 1000, 1000, 300), run(0, 1000, 1000, 300)),
                Scenario.S1, List.of(run(0, 500, 1000, 300), run(0, 1000, 1000, 300)))));
    StringBuilder out = new StringBuilder();

    StartupReport.append(out, new HarnessRun.Results(byPhase, 0));

    String text = out.toString();
    assertTrue(text.contains("| second | S0 | S1 | S1/S0 |"), text);
    assertTrue(text.contains("| 1 | 800 | 400 | 0.50 |"), text);
    assertTrue(text.contains("| S1 steady at most 2 s after S0 | 2 of 2 | "), text);
  }

  /** A run whose timeline is {@code perSecond}; its measured throughput is the timeline's peak. */
  private static LoadResult run(long... perSecond) {
    long peak = java.util.Arrays.stream(perSecond).max().orElse(0);
    return new LoadResult(
        peak,
        0,
        1.0,
        new Histogram(3),
        Map.of("client", 0.0),
        new GcMeter(0, 0),
        null,
        0,
        0,
        perSecond);
  }
}

package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The report's target table and sweep tables, on made-up rounds whose ratios, peaks and CPU are
 * known.
 */
class ReportTest {

  /** A round of {@code calls} successful calls in one second, each taking 300 µs. */
  private static LoadResult round(long calls) {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(300_000, calls);
    return new LoadResult(calls, 0, 1.0, latency, Map.of("client", 1.0), new GcMeter(0, 0), null);
  }

  @Test
  void aTargetShowsHowManyRoundsPassBesideTheVerdictOnTheMedians() {
    Map<Scenario, List<LoadResult>> closed = new EnumMap<>(Scenario.class);
    closed.put(Scenario.S0, List.of(round(1000), round(1000), round(1000)));
    // S1/S0 per round: 0.92, 0.98, 1.00; the median ratio 0.98 passes "at least 0.97", one round
    // does not.
    closed.put(Scenario.S1, List.of(round(920), round(980), round(1000)));
    Map<Scenario, List<LoadResult>> fixed = new EnumMap<>(Scenario.class);
    fixed.put(Scenario.S0, List.of(round(1000), round(1000), round(1000)));
    fixed.put(Scenario.S1, List.of(round(1000), round(1000), round(1000)));
    Map<Phase, Map<Scenario, List<LoadResult>>> byPhase = new EnumMap<>(Phase.class);
    byPhase.put(Phase.CLOSED, closed);
    byPhase.put(Phase.FIXED, fixed);

    String text = Report.markdown(new HarnessRun.Results(byPhase, 1000), List.of("preamble"));

    // Three rounds can resample to a median of 0.92 or of 1.00, so the interval straddles 0.97: not
    // settled.
    assertTrue(
        text.contains(
            "| S1/S0 calls/s ≥ 0.97 | "
                + Phase.CLOSED.title
                + " | 0.980 (0.920–1.000) | PASS | 2 of 3"
                + " | 0.980 (0.920–1.000) | no |"),
        text);
    // Latency is judged at the fixed rate only, where both carry the same load.
    assertTrue(
        text.contains(
            "| S1/S0 p50 µs ≤ 1.03 | "
                + Phase.FIXED.title
                + " | 1.000 (1.000–1.000) | PASS | 3 of 3"
                + " | 1.000 (1.000–1.000) | yes |"),
        text);
    assertFalse(text.contains("| S1/S0 p50 µs ≤ 1.03 | " + Phase.CLOSED.title), text);
  }

  /**
   * A round like {@link #round} whose client and nginx spent {@code clientCpu} and {@code nginxCpu}
   * seconds.
   */
  private static LoadResult round(long calls, double clientCpu, double nginxCpu) {
    Histogram latency = new Histogram(3);
    latency.recordValueWithCount(300_000, calls);
    return new LoadResult(
        calls,
        0,
        1.0,
        latency,
        Map.of("client", clientCpu, "backend", nginxCpu),
        new GcMeter(0, 0),
        null);
  }

  @Test
  void theSweepJudgesEachCallerCountOnItsOwnRoundsAndComparesEveryScenarioAtItsPeak() {
    Map<Integer, Map<Scenario, List<LoadResult>>> sweep = new LinkedHashMap<>();
    // 2 callers: S4/S3 is 1.70, 1.75, 1.80 by round; 16 callers: 1.35, 1.40, 1.45; 32 callers: 1.20
    // each.
    sweep.put(
        2,
        new EnumMap<>(
            Map.of(
                Scenario.S3,
                List.of(round(1000), round(1000), round(1000)),
                Scenario.S4,
                List.of(round(1700), round(1750), round(1800)))));
    sweep.put(
        16,
        new EnumMap<>(
            Map.of(
                Scenario.S3,
                List.of(round(2500), round(2600), round(2400)),
                Scenario.S4,
                List.of(round(3375), round(3640), round(3480)))));
    sweep.put(
        32,
        new EnumMap<>(
            Map.of(
                Scenario.S3,
                List.of(round(2750), round(2750), round(2750)),
                Scenario.S4,
                List.of(round(3300), round(3300), round(3300)))));

    String text =
        Report.markdown(
            new HarnessRun.Results(new EnumMap<>(Phase.class), 0, sweep), List.of("preamble"));

    assertTrue(text.contains("### " + Phase.SWEEP.title), text);
    assertTrue(text.contains("| callers | S3 calls/s | S4 calls/s | S4/S3 calls/s ≥ 1.6 |"), text);
    assertTrue(
        text.contains(
            "| 2 | 1,000 (1,000–1,000) | 1,750 (1,700–1,800) | 1.750 (1.700–1.800) PASS, settled |"),
        text);
    assertTrue(
        text.contains(
            "| 16 | 2,500 (2,400–2,600) | 3,480 (3,375–3,640) | 1.400 (1.350–1.450) FAIL, settled |"),
        text);
    // Peaks at different counts, neither the last: S3 2,750 at 32 callers, S4 3,480 at 16; 3,480 /
    // 2,750 = 1.265.
    assertTrue(
        text.contains("| peak | 2,750 at 32 callers | 3,480 at 16 callers | 1.265 FAIL |"), text);
    // A sweep alone judges its targets in its own table; there is no empty target table.
    assertFalse(text.contains("### Targets"), text);
  }

  @Test
  void theSweepShowsRawOkHttpAgainstTheSidecarBesideTheTargetsWhenBothRan() {
    Map<Integer, Map<Scenario, List<LoadResult>>> sweep = new LinkedHashMap<>();
    sweep.put(
        8,
        new EnumMap<>(
            Map.of(
                Scenario.S2,
                List.of(round(1900)),
                Scenario.S3,
                List.of(round(1000)),
                Scenario.S4,
                List.of(round(1800)))));

    String text =
        Report.markdown(
            new HarnessRun.Results(new EnumMap<>(Phase.class), 0, sweep), List.of("preamble"));

    assertTrue(
        text.contains(
            "| callers | S2 calls/s | S3 calls/s | S4 calls/s | S4/S2 calls/s ≥ 0.97"
                + " | S4/S3 calls/s ≥ 1.6 | S2/S3 calls/s (reference) |"),
        text);
    // S4/S2 = 1800/1900 = 0.947; S4/S3 = 1.800; S2/S3 = 1.900, with no verdict.
    assertTrue(
        text.contains(
            "| 8 | 1,900 (1,900–1,900) | 1,000 (1,000–1,000) | 1,800 (1,800–1,800)"
                + " | 0.947 (0.947–0.947) FAIL, settled | 1.800 (1.800–1.800) PASS, settled | 1.900 (1.900–1.900) |"),
        text);
    assertTrue(text.contains(" | 0.947 FAIL | 1.800 PASS | 1.900 |"), "the peak row: " + text);
  }

  @Test
  void theSweepShowsTheCoresEachScenarioKeptBusyAndItsCpuPerCall() {
    Map<Integer, Map<Scenario, List<LoadResult>>> sweep = new LinkedHashMap<>();
    // 1,000 calls in 1 s: 0.4 s client + 0.2 s nginx = 0.6 cores, 600 µs per call; 2,000 calls with
    // 1.5 + 0.5 s: 2.0 and 1,000.
    sweep.put(
        4,
        new EnumMap<>(
            Map.of(
                Scenario.S2,
                List.of(round(1000, 0.4, 0.2)),
                Scenario.S4,
                List.of(round(2000, 1.5, 0.5)))));

    String text =
        Report.markdown(
            new HarnessRun.Results(new EnumMap<>(Phase.class), 0, sweep), List.of("preamble"));

    assertTrue(
        text.contains(
            "| callers | S2 cores busy, CPU µs per call | S4 cores busy, CPU µs per call |"),
        text);
    assertTrue(text.contains("| 4 | 0.60, 600 | 2.00, 1000 |"), text);
  }

  @Test
  void withoutASweepTheReportHasNoSweepSection() {
    Map<Phase, Map<Scenario, List<LoadResult>>> byPhase = new EnumMap<>(Phase.class);
    byPhase.put(
        Phase.CLOSED,
        new EnumMap<>(Map.of(Scenario.S0, List.of(round(1000)), Scenario.S1, List.of(round(990)))));

    String text = Report.markdown(new HarnessRun.Results(byPhase, 0), List.of("preamble"));

    assertFalse(text.contains(Phase.SWEEP.title), text);
  }
}

package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The report's target table, on made-up rounds whose ratios are known. */
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
    // S1/S0 per round: 0.90, 0.96, 1.00; the median ratio 0.96 passes "at least 0.95", one round does not.
    closed.put(Scenario.S1, List.of(round(900), round(960), round(1000)));
    Map<Phase, Map<Scenario, List<LoadResult>>> byPhase = new EnumMap<>(Phase.class);
    byPhase.put(Phase.CLOSED, closed);

    String text = Report.markdown(new HarnessRun.Results(byPhase, 0), List.of("preamble"));

    // Three rounds can resample to a median of 0.90 or of 1.00, so the interval straddles 0.95: not settled.
    assertTrue(text.contains("| S1/S0 calls/s ≥ 0.95 | " + Phase.CLOSED.title + " | 0.960 (0.900–1.000) | PASS | 2 of 3"
        + " | 0.960 (0.900–1.000) | no |"), text);
    assertTrue(text.contains("| S1/S0 p50 µs ≤ 1.05 | " + Phase.CLOSED.title + " | 1.000 (1.000–1.000) | PASS | 3 of 3"
        + " | 1.000 (1.000–1.000) | yes |"), text);
  }
}

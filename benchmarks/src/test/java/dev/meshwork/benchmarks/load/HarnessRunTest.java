package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a run turns its settings into the load each phase applies. */
class HarnessRunTest {

  @Test
  void eachSweepCountIsAClosedLoopWithThatManyCallersInTheOrderGiven() {
    HarnessRun.Settings settings =
        new HarnessRun.Settings(
            3,
            1.0,
            3.0,
            16,
            0,
            0.25,
            64,
            new LinkedHashSet<>(List.of(Phase.SWEEP)),
            EnumSet.of(Scenario.S3, Scenario.S4),
            List.of(8, 2, 32));

    List<LoadDriver.Plan> plans = HarnessRun.sweepPlans(settings);

    // Not --concurrency (16): each count's own callers, closed loop (rate 0), the run's warm-up and
    // duration.
    assertEquals(
        List.of(
            new LoadDriver.Plan(8, 0, 1.0, 3.0),
            new LoadDriver.Plan(2, 0, 1.0, 3.0),
            new LoadDriver.Plan(32, 0, 1.0, 3.0)),
        plans);
  }
}

package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** What the driver counts besides calls: allocation per call and calls per second. */
class LoadDriverTest {
  private static volatile Object sink;

  @Test
  void allocationPerCallCountsTheCallersOwnAllocationThoughTheyEndWithTheWindow() throws Exception {
    LoadDriver.Call allocatesOneKib =
        () -> {
          sink = new byte[1024];
          LockSupport.parkNanos(20_000);
        };

    LoadResult result =
        LoadDriver.run(
            allocatesOneKib, new LoadDriver.Plan(2, 0, 0.1, 0.5), new CpuMeter(Map.of()));

    // The array's 1,024 bytes plus its header, and a little of the driver's own (its histograms).
    assertTrue(result.calls() > 100, "calls were made: " + result.calls());
    assertTrue(
        result.allocatedPerCall() >= 1024 && result.allocatedPerCall() < 2048,
        "bytes per call: " + result.allocatedPerCall());
  }

  @Test
  void theTimelineCountsEveryCompletedCallInTheSecondItEnded() throws Exception {
    LoadResult result =
        LoadDriver.run(
            () -> LockSupport.parkNanos(100_000),
            new LoadDriver.Plan(2, 0, 0, 0.3),
            new CpuMeter(Map.of()),
            new LoadDriver.Timeline(System.nanoTime(), 5),
            null);

    assertEquals(5, result.timeline().length);
    // Calls during the window and the few that straddle its close; none before the timeline's
    // origin.
    long counted = Arrays.stream(result.timeline()).sum();
    assertTrue(counted >= result.calls(), counted + " counted, " + result.calls() + " measured");
  }
}

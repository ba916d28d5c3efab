package dev.meshwork.core.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PeakEwmaTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static void sample(EndpointStats stats, long rttNanos, long atNanos) {
    stats.attemptStarted();
    stats.attemptEnded(AttemptOutcome.SUCCESS, rttNanos, atNanos);
  }

  @Test
  void startsAt30MillisecondsAndDecaysWithA10SecondTimeConstant() {
    EndpointStats stats = new EndpointStats(5 * S);
    assertEquals(30 * MS, stats.latencyEstimateNanos(5 * S), 1.0);
    assertEquals(30 * MS / Math.E, stats.latencyEstimateNanos(15 * S), 1.0);
  }

  @Test
  void theFirstAnswerReplacesTheDefaultEvenWhenFaster() {
    EndpointStats stats = new EndpointStats(0);
    sample(stats, 2 * MS, S);
    assertEquals(2 * MS, stats.latencyEstimateNanos(S), 1.0);
  }

  @Test
  void aSlowerAnswerReplacesTheEstimateAtOnceAndAFasterOneIsBlendedIn() {
    EndpointStats stats = new EndpointStats(0);
    sample(stats, 10 * MS, 0);
    sample(stats, 300 * MS, S);
    assertEquals(300 * MS, stats.latencyEstimateNanos(S), 1.0, "peak: no blending upward");

    sample(stats, 10 * MS, 2 * S);
    double weight = Math.exp(-0.1);
    double expected = 300 * MS * weight + 10 * MS * (1 - weight);
    assertEquals(expected, stats.latencyEstimateNanos(2 * S), 1.0);
    assertEquals(
        expected * Math.exp(-1),
        stats.latencyEstimateNanos(12 * S),
        1.0,
        "decays from the last sample");
  }

  @Test
  void aSampleStampedBeforeTheLastOneBlendsWithoutGrowth() {
    EndpointStats stats = new EndpointStats(0);
    sample(stats, 20 * MS, 10 * S);
    // Another thread's clock read came first but its sample lands second: no negative elapsed time.
    sample(stats, 10 * MS, 9 * S);
    assertEquals(20 * MS, stats.latencyEstimateNanos(9 * S), 1.0);
  }

  @Test
  void anOldSlowSampleDecaysBelowARecentFastOneInTheClockFreeComparison() {
    EndpointStats old = new EndpointStats(0);
    sample(old, 100 * MS, 0);
    EndpointStats recent = new EndpointStats(0);
    sample(recent, 20 * MS, 30 * S);
    // 100 ms decayed over 30 s is about 5 ms: the old one now has the lower expected wait.
    assertTrue(PeakEwma.lowerWait(old, 1, recent, 1));
    assertFalse(PeakEwma.lowerWait(recent, 1, old, 1));
    // Four requests in flight on the old one (load 5 against 1) tip it back.
    assertFalse(PeakEwma.lowerWait(old, 5, recent, 1));
  }

  @Test
  void theClockFreeComparisonAgreesWithComparingEstimatesAtACommonTime() {
    SplittableRandom random = new SplittableRandom(42);
    int compared = 0;
    for (int round = 0; round < 10_000; round++) {
      EndpointStats a = new EndpointStats(0);
      EndpointStats b = new EndpointStats(0);
      sample(a, random.nextLong(1, 500 * MS), random.nextLong(0, 60 * S));
      sample(b, random.nextLong(1, 500 * MS), random.nextLong(0, 60 * S));
      double loadA = random.nextInt(1, 20);
      double loadB = random.nextInt(1, 20);
      long now = 61 * S;
      double waitA = a.latencyEstimateNanos(now) * loadA;
      double waitB = b.latencyEstimateNanos(now) * loadB;
      if (Math.abs(waitA - waitB) > 1e-9 * Math.max(waitA, waitB)) {
        assertEquals(
            waitA < waitB, PeakEwma.lowerWait(a, loadA, b, loadB), "round " + round + ", seed 42");
        compared++;
      }
    }
    assertTrue(compared > 9_900, compared + " comparisons not within rounding of a tie");
  }
}

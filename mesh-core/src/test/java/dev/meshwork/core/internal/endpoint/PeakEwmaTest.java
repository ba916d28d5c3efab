package dev.meshwork.core.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    assertEquals(expected * Math.exp(-1), stats.latencyEstimateNanos(12 * S), 1.0, "decays from the last sample");
  }

  @Test
  void aSampleStampedBeforeTheLastOneBlendsWithoutGrowth() {
    EndpointStats stats = new EndpointStats(0);
    sample(stats, 20 * MS, 10 * S);
    // Another thread's clock read came first but its sample lands second: no negative elapsed time.
    sample(stats, 10 * MS, 9 * S);
    assertEquals(20 * MS, stats.latencyEstimateNanos(9 * S), 1.0);
  }
}

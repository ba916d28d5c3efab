package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The median of paired round ratios and its bootstrap interval, on rounds whose spread is known.
 */
class PairedEstimateTest {
  private static final Target AT_LEAST_095 =
      new Target(Scenario.S1, Scenario.S0, Metric.THROUGHPUT, 0.95, true, List.of(Phase.CLOSED));

  /**
   * {@code n} ratios around {@code center}, normal with standard deviation {@code spread}, from a
   * fixed seed.
   */
  private static double[] rounds(int n, double center, double spread, long seed) {
    Random random = new Random(seed);
    double[] ratios = new double[n];
    for (int i = 0; i < n; i++) {
      ratios[i] = center + spread * random.nextGaussian();
    }
    return ratios;
  }

  @Test
  void roundsThatAgreeGiveAnIntervalOfOnePoint() {
    PairedEstimate estimate = PairedEstimate.of(new double[] {0.97, 0.97, 0.97, 0.97});

    assertEquals(new PairedEstimate(0.97, 0.97, 0.97), estimate);
    assertTrue(estimate.settles(AT_LEAST_095));
  }

  @Test
  void theSameRoundsAlwaysGiveTheSameInterval() {
    double[] ratios = rounds(40, 0.96, 0.05, 1);
    PairedEstimate first = PairedEstimate.of(ratios);

    // Without a fixed seed the interval's ends would move between neighbouring resampled medians;
    // five agreeing runs by chance would be rare.
    for (int run = 0; run < 5; run++) {
      assertEquals(first, PairedEstimate.of(ratios.clone()));
    }
  }

  @Test
  void theIntervalHoldsTheMedianAndNarrowsWithMoreRounds() {
    PairedEstimate few = PairedEstimate.of(rounds(10, 1.0, 0.07, 7));
    PairedEstimate many = PairedEstimate.of(rounds(160, 1.0, 0.07, 7));

    for (PairedEstimate estimate : List.of(few, many)) {
      assertTrue(
          estimate.low() <= estimate.median() && estimate.median() <= estimate.high(),
          estimate.toString());
    }
    // The median's standard error shrinks as 1/sqrt(n): sixteen times the rounds, a quarter of the
    // width.
    // Allow up to half, for the resampling and the draw of the rounds.
    double fewWidth = few.high() - few.low();
    double manyWidth = many.high() - many.low();
    assertTrue(manyWidth < fewWidth / 2, "10 rounds: " + few + ", 160 rounds: " + many);
  }

  @Test
  void manyRoundsClearlyAboveTheBoundSettleItAndRoundsAroundItDoNot() {
    // 80 rounds with a spread of ±7% (as on the test machine): centred 5 points above the bound,
    // the interval (about ±2%) clears it; centred on it, the interval straddles it.
    PairedEstimate above = PairedEstimate.of(rounds(80, 1.00, 0.07, 3));
    PairedEstimate onTheLine = PairedEstimate.of(rounds(80, 0.95, 0.07, 3));

    assertTrue(
        above.settles(AT_LEAST_095) && AT_LEAST_095.passes(above.median()), above.toString());
    assertFalse(onTheLine.settles(AT_LEAST_095), onTheLine.toString());
  }

  @Test
  void noRoundsIsAnErrorThatSaysSo() {
    IllegalArgumentException error =
        assertThrows(IllegalArgumentException.class, () -> PairedEstimate.of(new double[0]));

    assertTrue(
        error.getMessage().contains("roundRatios") && error.getMessage().contains("none"),
        error.getMessage());
  }
}

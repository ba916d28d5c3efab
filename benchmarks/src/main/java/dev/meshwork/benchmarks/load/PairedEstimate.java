package dev.meshwork.benchmarks.load;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The median of the rounds' own ratios with a 95% percentile-bootstrap interval around it.
 *
 * <p>Each round runs its scenarios back to back, so a round's ratio cancels most of the drift of a
 * shared machine; the median of those ratios is the estimator to trust when the rounds are many.
 * The interval says whether the run settles a target: when it lies wholly on one side of the bound,
 * more rounds would not be expected to change the verdict. The resampling uses a fixed seed, so the
 * same rounds always print the same interval.
 */
record PairedEstimate(double median, double low, double high) {
  static final int RESAMPLES = 2_000;
  private static final long SEED = 20261121L;

  static PairedEstimate of(double[] roundRatios) {
    if (roundRatios.length == 0) {
      throw new IllegalArgumentException("roundRatios: expected at least one round, got none");
    }
    SplittableRandom random = new SplittableRandom(SEED);
    double[] medians = new double[RESAMPLES];
    double[] resample = new double[roundRatios.length];
    for (int r = 0; r < RESAMPLES; r++) {
      for (int i = 0; i < resample.length; i++) {
        resample[i] = roundRatios[random.nextInt(roundRatios.length)];
      }
      medians[r] = Stats.median(resample);
    }
    Arrays.sort(medians);
    int tail = (int) Math.round(RESAMPLES * 0.025);
    return new PairedEstimate(
        Stats.median(roundRatios), medians[tail], medians[RESAMPLES - 1 - tail]);
  }

  /**
   * The median and its interval to three places, as the report prints them: {@code 0.952
   * (0.939–0.969)}.
   */
  String text() {
    return String.format(Locale.ROOT, "%.3f (%.3f–%.3f)", median, low, high);
  }

  /** Whether every value in the interval is on the same side of {@code target}'s bound. */
  boolean settles(Target target) {
    return target.passes(low) == target.passes(high);
  }
}

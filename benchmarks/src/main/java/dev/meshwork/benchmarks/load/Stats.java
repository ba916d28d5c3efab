package dev.meshwork.benchmarks.load;

import java.util.Arrays;

/** Median, minimum and maximum of a few rounds' values. */
record Stats(double median, double min, double max) {
  static Stats of(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new Stats(median(sorted), sorted[0], sorted[sorted.length - 1]);
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }
}

package dev.meshwork.benchmarks.load;

import java.util.List;

/**
 * A target from the benchmarks issue: the ratio of a metric between two scenarios, bounded from
 * below (throughput) or above (latency, CPU), judged in the phases where it means something.
 */
record Target(
    Scenario numerator,
    Scenario denominator,
    Metric metric,
    double bound,
    boolean atLeast,
    List<Phase> phases) {

  /**
   * The targets. Latency targets are judged at a fixed rate too: there, both sides carry
   * the same load.
   */
  static final List<Target> ALL =
      List.of(
          new Target(
              Scenario.S1,
              Scenario.S0,
              Metric.THROUGHPUT,
              0.95,
              true,
              List.of(Phase.CLOSED, Phase.ENDPOINTS)),
          new Target(
              Scenario.S1,
              Scenario.S0,
              Metric.P50,
              1.05,
              false,
              List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS)),
          new Target(
              Scenario.S1,
              Scenario.S0,
              Metric.P99,
              1.10,
              false,
              List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS)),
          new Target(
              Scenario.S4,
              Scenario.S2,
              Metric.THROUGHPUT,
              0.95,
              true,
              List.of(Phase.CLOSED, Phase.ENDPOINTS)),
          new Target(
              Scenario.S4,
              Scenario.S3,
              Metric.THROUGHPUT,
              1.5,
              true,
              List.of(Phase.CLOSED, Phase.ENDPOINTS)),
          new Target(Scenario.S4, Scenario.S3, Metric.P99, 0.6, false, List.of(Phase.FIXED)),
          // "Less CPU per call": strictly below the sidecar path's client + HAProxy CPU.
          new Target(
              Scenario.S4,
              Scenario.S3,
              Metric.CPU_CLIENT_AND_PROXY,
              1.0,
              false,
              List.of(Phase.FIXED)));

  boolean passes(double ratio) {
    if (Double.isNaN(ratio)) {
      return false;
    }
    return atLeast
        ? ratio >= bound
        : metric == Metric.CPU_CLIENT_AND_PROXY ? ratio < bound : ratio <= bound;
  }

  String describe() {
    String comparison = atLeast ? "≥" : metric == Metric.CPU_CLIENT_AND_PROXY ? "<" : "≤";
    return numerator + "/" + denominator + " " + metric.label + " " + comparison + " " + bound;
  }
}

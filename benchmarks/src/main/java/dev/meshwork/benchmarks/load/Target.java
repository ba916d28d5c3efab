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
   * The targets of issue 21, judged on paired rounds: the mesh against raw OkHttp (plain and mutual
   * TLS) and against the sidecar. Throughput in every closed-loop phase; latency and CPU per call
   * at a fixed rate, where every scenario carries the same load.
   */
  static final List<Target> ALL =
      List.of(
          throughput(Scenario.S1, Scenario.S0, 0.97),
          atFixedRate(Scenario.S1, Scenario.S0, Metric.P50, 1.03),
          atFixedRate(Scenario.S1, Scenario.S0, Metric.P99, 1.05),
          throughput(Scenario.S4, Scenario.S2, 0.97),
          atFixedRate(Scenario.S4, Scenario.S2, Metric.P50, 1.03),
          atFixedRate(Scenario.S4, Scenario.S2, Metric.P99, 1.05),
          throughput(Scenario.S4, Scenario.S3, 1.6),
          atFixedRate(Scenario.S4, Scenario.S3, Metric.P99, 0.5),
          atFixedRate(Scenario.S4, Scenario.S3, Metric.CPU_CLIENT_AND_PROXY, 0.5));

  private static Target throughput(Scenario numerator, Scenario denominator, double atLeast) {
    return new Target(
        numerator,
        denominator,
        Metric.THROUGHPUT,
        atLeast,
        true,
        List.of(Phase.CLOSED, Phase.COLD, Phase.ENDPOINTS));
  }

  private static Target atFixedRate(
      Scenario numerator, Scenario denominator, Metric metric, double atMost) {
    return new Target(numerator, denominator, metric, atMost, false, List.of(Phase.FIXED));
  }

  boolean passes(double ratio) {
    if (Double.isNaN(ratio)) {
      return false;
    }
    return atLeast ? ratio >= bound : ratio <= bound;
  }

  String describe() {
    String comparison = atLeast ? "≥" : "≤";
    return numerator + "/" + denominator + " " + metric.label + " " + comparison + " " + bound;
  }
}

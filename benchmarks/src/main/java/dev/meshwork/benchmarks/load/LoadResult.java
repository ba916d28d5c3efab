package dev.meshwork.benchmarks.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one measured run produced: successful calls and their latencies (nanoseconds, in an
 * HdrHistogram), failed calls, the length of the measurement window, and the CPU seconds each
 * process spent in it (see {@link CpuMeter}), and the harness JVM's garbage collections in it.
 *
 * @param calls successful calls whose start (closed loop) or intended start (fixed rate) fell in
 *     the window
 * @param errors failed calls counted the same way, plus fixed-rate calls that could not be sent in
 *     time
 * @param firstError the first failure's description, or null
 */
record LoadResult(
    long calls,
    long errors,
    double seconds,
    Histogram latencyNanos,
    Map<String, Double> cpuSeconds,
    GcMeter gc,
    String firstError) {

  /** Successful calls per second. */
  double throughput() {
    return calls / seconds;
  }

  /** The latency at {@code percentile} (0..100), in microseconds; NaN without a successful call. */
  double latencyMicros(double percentile) {
    return calls == 0 ? Double.NaN : latencyNanos.getValueAtPercentile(percentile) / 1_000.0;
  }

  /** CPU seconds per second of the window, summed over every metered process: cores kept busy. */
  double coresBusy() {
    return cpuSeconds.values().stream().mapToDouble(Double::doubleValue).sum() / seconds;
  }

  /** CPU seconds per 1,000 calls (successful or not) spent by the processes {@code roles}. */
  double cpuPer1000(String... roles) {
    double seconds = 0;
    for (String role : roles) {
      seconds += cpuSeconds.getOrDefault(role, 0.0);
    }
    long all = calls + errors;
    return all == 0 ? Double.NaN : seconds * 1_000 / all;
  }
}

package dev.meshwork.benchmarks.load;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What one measured run produced: successful calls and their latencies (nanoseconds, in an
 * HdrHistogram), failed calls, the length of the measurement window, and the CPU seconds each
 * process spent in it (see {@link CpuMeter}), the client JVM's garbage collections and heap
 * allocation in it, and, when asked for, the calls completed in each second since the JVM started.
 *
 * @param calls successful calls whose start (closed loop) or intended start (fixed rate) fell in
 *     the window
 * @param errors failed calls counted the same way, plus fixed-rate calls that could not be sent in
 *     time
 * @param firstError the first failure's description, or null
 * @param allocatedBytes bytes the client JVM's threads allocated in the window ({@link
 *     AllocationMeter}), or -1 when not measured
 * @param connectionsOpened connections nginx accepted in the window ({@link NginxStatus}), or -1
 *     when not counted
 * @param timeline successful calls completed in each whole second since the JVM started, warm-up
 *     included; empty when not recorded
 */
record LoadResult(
    long calls,
    long errors,
    double seconds,
    Histogram latencyNanos,
    Map<String, Double> cpuSeconds,
    GcMeter gc,
    String firstError,
    long allocatedBytes,
    long connectionsOpened,
    long[] timeline) {

  /** A result without allocation or timeline. */
  LoadResult(
      long calls,
      long errors,
      double seconds,
      Histogram latencyNanos,
      Map<String, Double> cpuSeconds,
      GcMeter gc,
      String firstError) {
    this(calls, errors, seconds, latencyNanos, cpuSeconds, gc, firstError, -1, -1, new long[0]);
  }

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

  /** Connections nginx accepted per 1,000 calls; NaN when not counted or without calls. */
  double connectionsPer1000() {
    long all = calls + errors;
    return connectionsOpened < 0 || all == 0 ? Double.NaN : connectionsOpened * 1000.0 / all;
  }

  /** Bytes allocated per call (successful or not); NaN when not measured or without calls. */
  double allocatedPerCall() {
    long all = calls + errors;
    return allocatedBytes < 0 || all == 0 ? Double.NaN : (double) allocatedBytes / all;
  }
}

package dev.meshwork.examples;

import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The demo's golden metrics, read from the mesh's Micrometer meters: per instance, the attempts it
 * was sent, the share that did not fail (no 5xx, no I/O error) and the p50 and p99 latency of its
 * successful answers (latency of failures is kept apart, as the SRE book advises).
 */
final class GoldenMetrics {
  private static final Set<String> NOT_FAILED =
      Set.of("SUCCESS", "REDIRECTION", "CLIENT_ERROR", "INFORMATIONAL");

  private GoldenMetrics() {}

  /**
   * A registry whose attempt-duration timers also keep p50 and p99. Percentiles are off by default
   * in the mesh; a MeterFilter is Micrometer's way to turn them on.
   */
  static SimpleMeterRegistry registry() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry
        .config()
        .meterFilter(
            new MeterFilter() {
              @Override
              public DistributionStatisticConfig configure(
                  Meter.Id id, DistributionStatisticConfig config) {
                return id.getName().equals(Telemetry.REQUEST_DURATION)
                    ? DistributionStatisticConfig.builder()
                        .percentiles(0.5, 0.99)
                        .build()
                        .merge(config)
                    : config;
              }
            });
    return registry;
  }

  /** Prints one line per instance; {@code names} maps endpoint addresses to instance names. */
  static void print(PrintStream out, MeterRegistry registry, Map<String, String> names) {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, Timer> successes = new TreeMap<>();
    for (Timer timer : registry.find(Telemetry.REQUEST_DURATION).timers()) {
      String address = timer.getId().getTag("mesh.endpoint");
      String instance = names.getOrDefault(address, address);
      long[] requestsAndGood = counts.computeIfAbsent(instance, i -> new long[2]);
      requestsAndGood[0] += timer.count();
      String outcome = timer.getId().getTag("outcome");
      if (NOT_FAILED.contains(outcome)) {
        requestsAndGood[1] += timer.count();
      }
      if ("SUCCESS".equals(outcome)) {
        successes.put(instance, timer);
      }
    }
    out.println();
    out.println("Golden metrics (" + Telemetry.REQUEST_DURATION + ", one sample per attempt):");
    out.printf("  %-10s %8s %9s %9s %9s%n", "instance", "requests", "success", "p50", "p99");
    counts.forEach(
        (instance, c) -> {
          Timer ok = successes.get(instance);
          out.printf(
              "  %-10s %8d %8.1f%% %9s %9s%n",
              instance, c[0], 100.0 * c[1] / c[0], millis(ok, 0.5), millis(ok, 0.99));
        });
  }

  private static String millis(Timer timer, double percentile) {
    if (timer == null) {
      return "-";
    }
    for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
      if (value.percentile() == percentile) {
        return String.format("%.1f ms", value.value(TimeUnit.MILLISECONDS));
      }
    }
    return "-";
  }
}

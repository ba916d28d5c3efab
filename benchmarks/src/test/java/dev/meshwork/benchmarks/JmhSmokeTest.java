package dev.meshwork.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every JMH benchmark once, briefly and in this JVM, so none can rot between real runs: setup,
 * the benchmark methods and teardown must work. It judges no speed; one short iteration of an
 * unforked benchmark says nothing about it.
 */
class JmhSmokeTest {
  private static final Set<String> BENCHMARKS =
      Set.of(
          "BalancerBenchmark.pick",
          "ConfigCompileBenchmark.applyOneService",
          "ConfigCompileBenchmark.oneService",
          "ConfigCompileBenchmark.whole",
          "DiscoveryUpdateBenchmark.updateReachesCalls",
          "PipelineBenchmark.bareCall",
          "PipelineBenchmark.throughMesh",
          "PipelineBenchmark.throughMeshWithoutResilience",
          "SnapshotSwapBenchmark.swap",
          "TelemetryBenchmark.withTelemetry",
          "TelemetryBenchmark.withoutTelemetry",
          "TlsHandshakeBenchmark.full",
          "TlsHandshakeBenchmark.resumed",
          "TlsThroughputBenchmark.mesh",
          "TlsThroughputBenchmark.raw",
          "XdsUpdateBenchmark.update");

  @Test
  void everyBenchmarkRunsOneShortIteration() throws Exception {
    // JMH's /tmp lock keeps two measurements from disturbing each other. This run measures
    // nothing, and must not fail because someone else's benchmark is running on the machine.
    System.setProperty("jmh.ignoreLock", "true");
    Options options =
        new OptionsBuilder()
            .include("dev\\.meshwork\\.benchmarks\\.[A-Za-z]+Benchmark\\.")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(200))
            .param("endpoints", "100")
            .param("services", "50")
            .param("balancer", "least_request")
            .timeUnit(TimeUnit.MICROSECONDS)
            .shouldFailOnError(true)
            .build();

    Collection<RunResult> results = new Runner(options).run();

    Set<String> ran = new TreeSet<>();
    for (RunResult result : results) {
      String label = result.getParams().getBenchmark();
      ran.add(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1));
      assertTrue(result.getPrimaryResult().getSampleCount() > 0, label + " produced a result");
    }
    assertEquals(
        new TreeSet<>(BENCHMARKS), ran, "every benchmark ran; a new one belongs in this list");
  }
}

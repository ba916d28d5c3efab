package dev.meshwork.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshwork.config.MeshConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 22's numbers for the document: parse, schema-check and compile a mesh of {@code services}
 * services with {@code routes} routes each ({@code whole}; target 200 ms for 1,000 x 10), and the
 * same for a document holding only the one service a change touches ({@code oneService}; target 5
 * ms, of which the live apply is the core's part). Nothing is built or started: the result is the
 * compiled {@link MeshConfig}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigCompileBenchmark {
  @Param({"1000"})
  int services;

  @Param({"10"})
  int routes;

  /** YAML (SnakeYAML underneath) or the same document in JSON. */
  @Param({"yaml", "json"})
  String format;

  private String whole;
  private String oneService;

  @Setup
  public void setUp() {
    whole = as(document(0, services, 10));
    oneService = as(document(services / 2, 1, 50));
  }

  private String as(String yaml) {
    if (format.equals("yaml")) {
      return yaml;
    }
    try {
      return new ObjectMapper()
          .writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(yaml));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Benchmark
  public MeshConfig whole() {
    return MeshConfig.parse(whole, "mesh." + format);
  }

  @Benchmark
  public MeshConfig oneService() {
    return MeshConfig.parse(oneService, "change." + format);
  }

  /** Services {@code first..first+count}, each with two subsets and {@link #routes} routes. */
  String document(int first, int count, int canaryWeight) {
    StringBuilder text =
        new StringBuilder("apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices:\n");
    for (int s = first; s < first + count; s++) {
      text.append("  service-")
          .append(s)
          .append(":\n    discovery:\n      static:\n")
          .append("        - {address: 10.1.")
          .append(s / 250)
          .append('.')
          .append(s % 250)
          .append(":8080, labels: {version: v1}}\n")
          .append("        - {address: 10.2.")
          .append(s / 250)
          .append('.')
          .append(s % 250)
          .append(":8080, labels: {version: v2}}\n")
          .append("    timeouts: {perTry: 300ms, overall: 1s}\n")
          .append("    retries: {maxAttempts: 3, retriableStatuses: [503]}\n")
          .append("    subsets: {v1: {version: v1}, v2: {version: v2}}\n")
          .append("    routes:\n");
      for (int r = 0; r < routes; r++) {
        text.append("      - name: route-")
            .append(r)
            .append("\n        match: {path: {prefix: /api/")
            .append(r)
            .append("}, methods: [GET], headers: [{name: x-tenant, exact: t")
            .append(r)
            .append("}]}\n        split: [{subset: v1, weight: ")
            .append(100 - canaryWeight)
            .append("}, {subset: v2, weight: ")
            .append(canaryWeight)
            .append("}]\n        overrides: [{header: x-canary, value: always, subset: v2}]\n");
      }
    }
    return text.toString();
  }
}

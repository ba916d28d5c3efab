package dev.meshwork.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.spi.MeshConfigurer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 22's numbers for the document, on a mesh of {@code services} services with {@code routes}
 * routes each:
 *
 * <ul>
 *   <li>{@code whole}: parse, schema-check and compile the document, and apply it to a running mesh
 *       that has none of its services yet (target 200 ms for 1,000 x 10);
 *   <li>{@code oneService}: the same for a document that differs from the running one in one
 *       service's route weights, applied to a mesh running the whole document, as a live source
 *       hands over an edited file;
 *   <li>{@code applyOneService}: that change's apply alone, the compiled services handed to {@link
 *       MeshConfigurer#apply} (target 5 ms).
 * </ul>
 *
 * Each invocation of the last two is a real change: they alternate between the two documents.
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
  private String changed;
  private List<ServiceConfig> wholeServices;
  private List<ServiceConfig> changedServices;

  /** Runs no services between invocations of {@link #whole}. */
  private Mesh empty;

  /** Runs the whole document, or the changed one after an odd number of changes. */
  private Mesh running;

  private boolean onChanged;

  @Setup(Level.Trial)
  public void setUp() {
    whole = as(document(services, -1));
    changed = as(document(services, services / 2));
    MeshConfig config = MeshConfig.parse(whole, "mesh." + format);
    wholeServices = config.services();
    changedServices = MeshConfig.parse(changed, "mesh." + format).services();
    running = config.build();
    empty = Mesh.builder().build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    running.close();
    empty.close();
  }

  /** Takes {@link #whole}'s services out of {@link #empty} again, outside the measurement. */
  @TearDown(Level.Invocation)
  public void removeServices() {
    if (!empty.services().isEmpty()) {
      MeshConfigurer.of(empty).apply(List.of(), "benchmark", "empty");
    }
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
  public ConfigStatus whole() {
    MeshConfig config = MeshConfig.parse(whole, "mesh." + format);
    return MeshConfigurer.of(empty).apply(config.services(), "mesh." + format, "whole");
  }

  @Benchmark
  public ConfigStatus oneService() {
    onChanged = !onChanged;
    MeshConfig config = MeshConfig.parse(onChanged ? changed : whole, "mesh." + format);
    return MeshConfigurer.of(running).apply(config.services(), "mesh." + format, "change");
  }

  @Benchmark
  public ConfigStatus applyOneService() {
    onChanged = !onChanged;
    return MeshConfigurer.of(running)
        .apply(onChanged ? changedServices : wholeServices, "mesh." + format, "change");
  }

  /**
   * {@code count} services, each with two subsets and {@link #routes} routes sending 10% to v2;
   * service {@code changed} (none when negative) sends 50%.
   */
  String document(int count, int changed) {
    StringBuilder text =
        new StringBuilder("apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices:\n");
    for (int s = 0; s < count; s++) {
      int canaryWeight = s == changed ? 50 : 10;
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

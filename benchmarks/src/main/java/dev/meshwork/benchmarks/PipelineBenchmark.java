package dev.meshwork.benchmarks;

import dev.meshwork.config.ConfigPlan;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
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
 * The mesh's own cost per call: the core pipeline (resolve, deadline, retry loop, admission, pick,
 * record) around a transport that does no I/O, against the same transport called directly. The
 * difference is what the mesh adds before any byte reaches the network. Run with {@code -prof gc}
 * for bytes per call. {@code configuredBy} builds the meshes with the builder or from a mesh
 * document ({@link MeshConfig}); setup checks that both give the same effective configuration, so
 * the two rows compare the call path alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PipelineBenchmark {
  @Param({"3", "100"})
  int endpoints;

  @Param({"builder", "document"})
  String configuredBy;

  private Mesh mesh;
  private ServiceInvoker invoker;
  private Mesh bareMesh;
  private ServiceInvoker bareInvoker;
  private final MeshRequest request = NoNetwork.GET;
  private final Exchange<Integer> noNetwork = NoNetwork.EXCHANGE;
  private Endpoint first;

  @Setup(Level.Trial)
  public void setUp() {
    String[] addresses = new String[endpoints];
    for (int i = 0; i < endpoints; i++) {
      addresses[i] = "10.0." + (i / 250) + "." + (i % 250 + 1) + ":8080";
    }
    Mesh built = Mesh.builder().service("mathoid", s -> s.endpoints(addresses)).build();
    // The same service with every resilience policy switched off: the difference is what
    // deadlines, retries, the budget, the breaker, limits and outlier detection cost per call.
    Mesh bareBuilt =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.endpoints(addresses)
                        .retries(RetryPolicy.disabled())
                        .retryBudget(RetryBudget.disabled())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(OutlierDetection.disabled()))
            .build();
    if (configuredBy.equals("builder")) {
      mesh = built;
      bareMesh = bareBuilt;
    } else {
      mesh = fromDocument(built, addresses, "");
      bareMesh =
          fromDocument(
              bareBuilt,
              addresses,
              "    retries: {maxAttempts: 1}\n"
                  + "    retryBudget: {enabled: false}\n"
                  + "    circuitBreaker: {enabled: false}\n"
                  + "    outlierDetection: {enabled: false}\n");
    }
    invoker =
        MeshTransports.attach(mesh, TransportContext.class, context -> context).invoker("mathoid");
    bareInvoker =
        MeshTransports.attach(bareMesh, TransportContext.class, context -> context)
            .invoker("mathoid");
    first = mesh.endpoints("mathoid").get(0);
  }

  /**
   * The mesh of a document holding {@code settings} for a service at {@code addresses}, after
   * checking that it configures what {@code builderMesh} does; closes {@code builderMesh}.
   */
  private static Mesh fromDocument(Mesh builderMesh, String[] addresses, String settings) {
    StringBuilder document =
        new StringBuilder(
            "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nservices:\n  mathoid:\n"
                + "    discovery:\n      static:\n");
    for (String address : addresses) {
      document.append("        - ").append(address).append('\n');
    }
    document.append(settings);
    MeshConfig config = MeshConfig.parse(document.toString(), "pipeline.yaml");
    MeshConfig expected = MeshConfig.of(builderMesh);
    builderMesh.close();
    ConfigPlan difference = MeshConfig.plan(expected, config);
    if (difference.hasChanges()) {
      throw new IllegalStateException(
          "the document configures another mesh than the builder:\n" + difference);
    }
    return config.build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
    bareMesh.close();
  }

  @Benchmark
  public Integer bareCall() throws IOException {
    return noNetwork.send(first, null);
  }

  /**
   * Default policies: deadline check, retry loop and budget deposit, breaker, limiter, outlier
   * streaks.
   */
  @Benchmark
  public Integer throughMesh() throws IOException {
    return invoker.invoke(request, noNetwork);
  }

  /** Resilience switched off; the baseline for the resilience stages' cost. */
  @Benchmark
  public Integer throughMeshWithoutResilience() throws IOException {
    return bareInvoker.invoke(request, noNetwork);
  }
}

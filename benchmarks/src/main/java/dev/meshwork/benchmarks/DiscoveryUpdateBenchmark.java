package dev.meshwork.benchmarks;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * How long a large discovery update takes to reach calls: a source builds a snapshot of {@code
 * endpoints} endpoints (every other one differs from the previous update, so half the instances
 * come and go), hands it to the mesh, and the benchmark waits until the service's published
 * endpoint set is that snapshot, balancer tables included. Meanwhile a caller thread keeps calling
 * the service through the core pipeline; calls that fail are counted and reported at tear-down
 * (there should be none). Sample mode gives the percentiles; the target is 50 ms for 10,000.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DiscoveryUpdateBenchmark {
  private static final ServiceName SERVICE = ServiceName.of("mathoid");

  @Param({"10000"})
  int endpoints;

  @Param({"least_request", "maglev"})
  String balancer;

  private Mesh mesh;
  private volatile DiscoveryListener listener;
  private final List<List<Endpoint>> updates = new ArrayList<>();
  private int turn;
  private Thread caller;
  private volatile boolean stop;
  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong failedCalls = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicReference<Exception> firstFailure =
      new java.util.concurrent.atomic.AtomicReference<>();

  private final DiscoverySource source =
      new DiscoverySource() {
        @Override
        public Watch watch(
            ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
          DiscoveryUpdateBenchmark.this.listener = listener;
          return () -> {};
        }

        @Override
        public String describe() {
          return "benchmark";
        }
      };

  @Setup(Level.Trial)
  public void setUp() throws InterruptedException {
    for (int version = 0; version < 2; version++) {
      List<Endpoint> list = new ArrayList<>(endpoints);
      for (int i = 0; i < endpoints; i++) {
        // Even indexes are stable instances; odd ones differ between the two updates.
        int port = i % 2 == 0 ? 8080 : 9000 + version;
        list.add(
            Endpoint.builder("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), port)
                .zone(i % 3 == 0 ? "eqiad-a" : "eqiad-b")
                .build());
      }
      updates.add(List.copyOf(list));
    }
    LoadBalancerFactory factory =
        balancer.equals("maglev")
            ? LoadBalancers.maglev(HashPolicy.header("x-user"))
            : LoadBalancers.leastRequest(42);
    mesh =
        Mesh.builder().service("mathoid", s -> s.discovery(source).loadBalancer(factory)).build();
    publishAndWait();
    ServiceInvoker invoker =
        MeshTransports.attach(mesh, TransportContext.class, context -> context).invoker("mathoid");
    caller =
        new Thread(
            () -> {
              while (!stop) {
                try {
                  invoker.invoke(NoNetwork.GET, NoNetwork.EXCHANGE);
                  calls.incrementAndGet();
                } catch (IOException | RuntimeException e) {
                  failedCalls.incrementAndGet();
                  firstFailure.compareAndSet(null, e);
                }
              }
            },
            "benchmark-caller");
    caller.setDaemon(true);
    caller.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    stop = true;
    caller.join();
    mesh.close();
    System.out.printf(
        "%n[%s] calls during the trial: %d, failed: %d%n",
        balancer, calls.get(), failedCalls.get());
    if (firstFailure.get() != null) {
      System.out.println("first failure: " + firstFailure.get());
    }
  }

  /**
   * From the source's hands to the published set: snapshot validation, queueing, set and tables.
   */
  @Benchmark
  public List<Endpoint> updateReachesCalls() {
    return publishAndWait();
  }

  private List<Endpoint> publishAndWait() {
    EndpointSnapshot snapshot = EndpointSnapshot.of(SERVICE, updates.get(turn++ & 1));
    listener.onSnapshot(snapshot);
    List<Endpoint> published = snapshot.endpoints();
    while (mesh.endpoints("mathoid") != published) {
      Thread.onSpinWait();
    }
    return published;
  }
}

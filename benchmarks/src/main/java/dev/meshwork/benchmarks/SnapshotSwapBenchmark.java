package dev.meshwork.benchmarks;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Replacing a 10,000-endpoint snapshot while calls pick. One thread ({@code swap}) does what a mesh
 * update thread does for each update: the next {@link EndpointSet} (statistics carried over for the
 * half of the endpoints that stay), the balancer's tables ({@code update}), and one volatile write
 * that publishes both. Another thread ({@code pick}) picks from whatever set is published, without
 * pause. Sample mode: the swap's percentiles are the update cost, the pick's percentiles show
 * whether a pick ever waits for a swap (it would show as a tail near the swap time). Two threads
 * because the machine has two cores.
 */
@State(Scope.Group)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnapshotSwapBenchmark {

  /** What calls read: a set and the balancer tables built for it, published together. */
  private record Published(EndpointSet set) {}

  @Param({
    "round_robin",
    "weighted_round_robin",
    "random",
    "least_request",
    "peak_ewma",
    "ring_hash",
    "maglev"
  })
  String balancer;

  @Param({"10000"})
  int endpoints;

  private final EndpointSnapshot[] snapshots = new EndpointSnapshot[2];
  private LoadBalancer lb;
  private volatile Published published;
  private int generation;
  private PickContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    snapshots[0] = Balancers.snapshot(endpoints, 0);
    snapshots[1] = Balancers.snapshot(endpoints, 1);
    lb = Balancers.factory(balancer).create(Balancers.SERVICE, MeshClock.system());
    EndpointSet first = EndpointSet.initial().next(snapshots[0], Instant.EPOCH, 0);
    lb.update(first.states());
    published = new Published(first);
    contexts = Balancers.contexts();
  }

  @Benchmark
  @Group("swap")
  @GroupThreads(1)
  public Published swap() {
    generation++;
    EndpointSet next = published.set().next(snapshots[generation & 1], Instant.EPOCH, generation);
    lb.update(next.states());
    Published now = new Published(next);
    published = now;
    return now;
  }

  @Benchmark
  @Group("swap")
  @GroupThreads(1)
  public EndpointState pick() {
    return lb.pick(published.set().states(), contexts[next++ & 4095]);
  }
}

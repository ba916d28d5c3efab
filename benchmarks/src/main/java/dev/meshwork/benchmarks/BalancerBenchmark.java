package dev.meshwork.benchmarks;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.internal.endpoint.AttemptOutcome;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.time.Instant;
import java.util.List;
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
 * The cost of one pick, per balancer and endpoint count, on the endpoint list the balancer built
 * its tables for (the common case: no endpoint ejected or already tried). Weights 1..3 so the
 * weighted policies use their tables; hashing balancers get a different key on each pick (4096 keys
 * in turn), so the cost includes hashing the key and a lookup that is not always cached.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BalancerBenchmark {

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

  @Param({"10", "100", "1000", "10000"})
  int endpoints;

  private LoadBalancer lb;
  private List<EndpointState> states;
  private PickContext[] contexts;
  private int next;

  @Setup
  public void setUp() {
    long now = System.nanoTime();
    states =
        EndpointSet.initial().next(Balancers.snapshot(endpoints, 0), Instant.EPOCH, now).states();
    // Every endpoint has answered (1 to 7 ms) at some time in the last 10 s, as in a busy service,
    // so peak-EWMA decays and compares live estimates with different ages, not ones that decayed
    // to zero long ago or that share one timestamp (a decay of exp(0)).
    for (int i = 0; i < states.size(); i++) {
      states.get(i).stats().attemptStarted();
      states
          .get(i)
          .stats()
          .attemptEnded(
              AttemptOutcome.SUCCESS, 1_000_000L * (1 + i % 7), now - 9_973_000L * (i % 1001));
    }
    lb = Balancers.factory(balancer).create(Balancers.SERVICE, MeshClock.system());
    lb.update(states);
    contexts = Balancers.contexts();
  }

  @Benchmark
  public EndpointState pick() {
    return lb.pick(states, contexts[next++ & 4095]);
  }
}

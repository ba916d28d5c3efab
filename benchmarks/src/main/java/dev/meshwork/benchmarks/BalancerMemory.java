package dev.meshwork.benchmarks;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.LoadBalancer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Instant;

/**
 * Retained heap of balancer state per endpoint, measured as the difference in used heap after full
 * collections (repeated until the figure settles) before and after building it. The snapshot's
 * {@code Endpoint} records exist before the first reading, so they are not counted: what is counted
 * is the per-endpoint state the mesh adds (endpoint state, statistics, outlier and health state,
 * the latency estimate) and then the balancer's tables. Not a JMH benchmark: run it with {@code
 * java -cp benchmarks/target/benchmarks.jar -XX:+UseSerialGC
 * dev.meshwork.benchmarks.BalancerMemory}. The serial collector compacts fully, so the readings are
 * stable to a few kilobytes. Each figure is the largest of five rounds: a round's garbage sometimes
 * survives into the next round's first reading (seen as a delta near zero every other round), which
 * can only make a delta smaller, never larger.
 */
public final class BalancerMemory {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final int ENDPOINTS = 10_000;
  private static final int ROUNDS = 5;

  private BalancerMemory() {}

  public static void main(String[] args) {
    String[] names = {
      "round_robin",
      "weighted_round_robin",
      "random",
      "least_request",
      "peak_ewma",
      "ring_hash",
      "maglev"
    };
    EndpointSnapshot snapshot = Balancers.snapshot(ENDPOINTS, 0);
    System.out.printf(
        "%d endpoints, bytes per endpoint (largest of %d rounds)%n", ENDPOINTS, ROUNDS);
    System.out.printf(
        "%-22s %16s %16s %10s%n", "balancer", "endpoint state", "balancer tables", "total");
    for (String name : names) {
      long[] states = new long[ROUNDS];
      long[] tables = new long[ROUNDS];
      for (int round = 0; round < ROUNDS; round++) {
        long[] delta = measure(name, snapshot);
        states[round] = delta[0];
        tables[round] = delta[1];
      }
      double perState = java.util.Arrays.stream(states).max().orElseThrow() / (double) ENDPOINTS;
      double perTable = java.util.Arrays.stream(tables).max().orElseThrow() / (double) ENDPOINTS;
      System.out.printf(
          "%-22s %16.0f %16.0f %10.0f%n", name, perState, perTable, perState + perTable);
    }
    Reference.reachabilityFence(snapshot);
  }

  /**
   * One round in its own frame: when it returns, nothing it built is reachable, so the next round's
   * first reading does not count this round's garbage as live.
   */
  private static long[] measure(String name, EndpointSnapshot snapshot) {
    long before = usedAfterGc();
    EndpointSet set = EndpointSet.initial().next(snapshot, Instant.EPOCH, 0);
    long withStates = usedAfterGc();
    LoadBalancer balancer = Balancers.factory(name).create(Balancers.SERVICE, MeshClock.system());
    balancer.update(set.states());
    long withTables = usedAfterGc();
    Reference.reachabilityFence(set);
    Reference.reachabilityFence(balancer);
    return new long[] {withStates - before, withTables - withStates};
  }

  private static long usedAfterGc() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < 1024) {
        return used;
      }
      previous = used;
    }
    return previous;
  }
}

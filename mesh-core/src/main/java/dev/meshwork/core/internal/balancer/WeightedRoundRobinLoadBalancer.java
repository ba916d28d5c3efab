package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.balancer.EndpointView;
import dev.meshwork.core.balancer.LoadBalancer;
import dev.meshwork.core.balancer.PickContext;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin: endpoints take turns in proportion to their weights, interleaved
 * rather than in runs (weights 5:1:1 give a a b a c a a, not a a a a a b c). The schedule is
 * computed once per endpoint set with earliest-deadline-first, as Envoy does, and the hot path
 * only advances one atomic counter through it.
 */
public final class WeightedRoundRobinLoadBalancer implements LoadBalancer {
  /** Longest schedule kept; larger weight sums are scaled down to fit, keeping their ratios within 1/65536. */
  static final int MAX_PERIOD = 1 << 16;

  private final AtomicInteger next = new AtomicInteger();
  private final TableCache<int[]> schedules = new TableCache<>(WeightedRoundRobinLoadBalancer::schedule);

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    schedules.rebuild(endpoints);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    int[] schedule = schedules.tableFor(candidates);
    if (schedule == null) {
      // A filtered list (retry, ejection) gets no schedule of its own; keep the weights with a random draw.
      return candidates.get(Weights.randomIndex(candidates, ThreadLocalRandom.current()));
    }
    return candidates.get(schedule[Math.floorMod(next.getAndIncrement(), schedule.length)]);
  }

  static int[] schedule(List<? extends EndpointView> endpoints) {
    int n = endpoints.size();
    if (n == 0) {
      return new int[0];
    }
    long[] weights = new long[n];
    long sum = 0;
    for (int i = 0; i < n; i++) {
      weights[i] = endpoints.get(i).endpoint().weight();
      sum += weights[i];
    }
    long gcd = weights[0];
    for (long weight : weights) {
      gcd = gcd(gcd, weight);
    }
    sum = 0;
    for (int i = 0; i < n; i++) {
      weights[i] /= gcd;
      sum += weights[i];
    }
    if (sum > Math.max(MAX_PERIOD, n)) {
      long scaledSum = 0;
      for (int i = 0; i < n; i++) {
        weights[i] = Math.max(1, Math.round(weights[i] * (double) MAX_PERIOD / sum));
        scaledSum += weights[i];
      }
      sum = scaledSum;
    }
    record Turn(double deadline, int index, double step) {
    }
    PriorityQueue<Turn> queue = new PriorityQueue<>(n, (a, b) -> a.deadline() != b.deadline()
        ? Double.compare(a.deadline(), b.deadline()) : Integer.compare(a.index(), b.index()));
    for (int i = 0; i < n; i++) {
      double step = 1.0 / weights[i];
      // Starting half a step in spreads the light endpoints through the period instead of after the heavy one.
      queue.add(new Turn(step / 2, i, step));
    }
    int[] schedule = new int[(int) sum];
    for (int slot = 0; slot < schedule.length; slot++) {
      Turn turn = queue.poll();
      schedule[slot] = turn.index();
      queue.add(new Turn(turn.deadline() + turn.step(), turn.index(), turn.step()));
    }
    return schedule;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}

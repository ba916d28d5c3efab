package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Smooth weighted round robin: endpoints take turns in proportion to their weights, interleaved
 * rather than in runs (weights 5:1:1 give a a b a c a a, not a a a a a b c). The schedule is
 * computed once per endpoint set, and once per zone-narrowed list, with earliest-deadline-first, as
 * Envoy does, and the hot path only advances one atomic counter through it.
 */
public final class WeightedRoundRobinLoadBalancer implements LoadBalancer {
  /**
   * Longest schedule kept; larger weight sums are scaled down to fit, keeping their ratios within
   * 1/65536.
   */
  static final int MAX_PERIOD = 1 << 16;

  /**
   * The turns of one list and its own position in them: lists picked from alternately (local and
   * remote zone) would each see only some positions of a shared counter, which can skew their
   * shares.
   */
  private record Schedule(int[] turns, AtomicInteger next) {}

  private final TableCache<Schedule> schedules =
      new TableCache<>(endpoints -> new Schedule(schedule(endpoints), new AtomicInteger()));

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    Schedule previous = schedules.latest();
    schedules.rebuild(endpoints);
    if (previous != null) {
      // Go on from the old position rather than turn 0: a fleet of clients that all got the same
      // discovery update would otherwise send their next calls to the same endpoint at once.
      schedules.latest().next().set(previous.next().get());
    }
  }

  @Override
  public void prepareNarrowed(List<? extends List<? extends EndpointView>> lists) {
    schedules.rebuildNarrowed(lists);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    Schedule schedule = schedules.tableFor(candidates);
    if (schedule == null) {
      // A filtered list (retry, ejection) gets no schedule of its own; keep the weights with a
      // random draw.
      return candidates.get(Weights.randomIndex(candidates, ThreadLocalRandom.current()));
    }
    int[] turns = schedule.turns();
    return candidates.get(turns[Math.floorMod(schedule.next().getAndIncrement(), turns.length)]);
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
    // Earliest deadline first over a binary heap of endpoint indexes with the deadlines and steps
    // in
    // primitive arrays: no object per turn (20,000 turns for 10,000 endpoints of weights 1..3).
    // Ties go to the lower index, so the schedule is fully determined.
    double[] deadline = new double[n];
    double[] step = new double[n];
    int[] heap = new int[n];
    for (int i = 0; i < n; i++) {
      step[i] = 1.0 / weights[i];
      // Starting half a step in spreads the light endpoints through the period instead of after the
      // heavy one.
      deadline[i] = step[i] / 2;
      heap[i] = i;
    }
    for (int i = n / 2 - 1; i >= 0; i--) {
      siftDown(heap, i, deadline);
    }
    int[] schedule = new int[(int) sum];
    for (int slot = 0; slot < schedule.length; slot++) {
      int turn = heap[0];
      schedule[slot] = turn;
      deadline[turn] += step[turn];
      siftDown(heap, 0, deadline);
    }
    return schedule;
  }

  /** Moves the index at {@code at} down until no child has an earlier turn. */
  private static void siftDown(int[] heap, int at, double[] deadline) {
    int n = heap.length;
    int moving = heap[at];
    while (true) {
      int child = 2 * at + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && earlier(heap[child + 1], heap[child], deadline)) {
        child++;
      }
      if (!earlier(heap[child], moving, deadline)) {
        break;
      }
      heap[at] = heap[child];
      at = child;
    }
    heap[at] = moving;
  }

  private static boolean earlier(int a, int b, double[] deadline) {
    return deadline[a] < deadline[b] || deadline[a] == deadline[b] && a < b;
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}

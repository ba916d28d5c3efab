package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.balancer.EndpointView;
import dev.meshwork.core.balancer.LoadBalancer;
import dev.meshwork.core.balancer.PickContext;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/** Weighted random choice: O(1) when weights are equal, a binary search over cumulative weights otherwise. */
public final class RandomLoadBalancer implements LoadBalancer {
  private final RandomGenerator random;
  /** Cumulative weights per endpoint set, or an empty array when all weights are equal. */
  private final TableCache<long[]> cumulative = new TableCache<>(RandomLoadBalancer::cumulative);

  public RandomLoadBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    cumulative.rebuild(endpoints);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    long[] table = cumulative.tableFor(candidates);
    if (table == null) {
      return candidates.get(Weights.randomIndex(candidates, random));
    }
    if (table.length == 0) {
      return candidates.get(random.nextInt(candidates.size()));
    }
    long target = random.nextLong(table[table.length - 1]);
    int index = Arrays.binarySearch(table, target + 1);
    return candidates.get(index >= 0 ? index : -index - 1);
  }

  private static long[] cumulative(List<? extends EndpointView> endpoints) {
    if (endpoints.isEmpty() || Weights.allEqual(endpoints)) {
      return new long[0];
    }
    long[] sums = new long[endpoints.size()];
    long running = 0;
    for (int i = 0; i < sums.length; i++) {
      running += endpoints.get(i).endpoint().weight();
      sums[i] = running;
    }
    return sums;
  }
}

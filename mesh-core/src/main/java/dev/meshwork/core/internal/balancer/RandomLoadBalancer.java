package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Weighted random choice in O(1) at any endpoint count: one random draw when weights are equal,
 * otherwise Walker's alias method (Vose's construction), built once per endpoint set and once per
 * zone-narrowed list: one random long picks a column and flips its biased coin, with no search.
 */
public final class RandomLoadBalancer implements LoadBalancer {
  private static final double TWO_TO_32 = 0x1.0p32;

  /**
   * Column {@code i} keeps the pick when the coin (32 random bits) is below {@code threshold[i]},
   * else hands it to {@code alias[i]}. Empty when all weights are equal.
   */
  private record AliasTable(long[] threshold, int[] alias) {}

  private static final AliasTable EQUAL = new AliasTable(new long[0], new int[0]);

  private final RandomGenerator random;
  private final TableCache<AliasTable> tables = new TableCache<>(RandomLoadBalancer::aliasTable);

  public RandomLoadBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    tables.rebuild(endpoints);
  }

  @Override
  public void prepareNarrowed(List<? extends List<? extends EndpointView>> lists) {
    tables.rebuildNarrowed(lists);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    AliasTable table = tables.tableFor(candidates);
    if (table == null) {
      return candidates.get(Weights.randomIndex(candidates, random));
    }
    int n = candidates.size();
    if (table.alias().length == 0) {
      return candidates.get(random.nextInt(n));
    }
    long bits = random.nextLong();
    int column = (int) (((bits >>> 32) * n) >>> 32);
    long coin = bits & 0xFFFF_FFFFL;
    return candidates.get(coin < table.threshold()[column] ? column : table.alias()[column]);
  }

  static AliasTable aliasTable(List<? extends EndpointView> endpoints) {
    int n = endpoints.size();
    if (n == 0 || Weights.allEqual(endpoints)) {
      return EQUAL;
    }
    // Scaled so the average column holds exactly `total`; integers keep the construction exact.
    long total = 0;
    long[] scaled = new long[n];
    for (int i = 0; i < n; i++) {
      scaled[i] = (long) endpoints.get(i).endpoint().weight() * n;
      total += endpoints.get(i).endpoint().weight();
    }
    long[] threshold = new long[n];
    int[] alias = new int[n];
    int[] small = new int[n];
    int[] large = new int[n];
    int smalls = 0;
    int larges = 0;
    for (int i = 0; i < n; i++) {
      if (scaled[i] < total) {
        small[smalls++] = i;
      } else {
        large[larges++] = i;
      }
    }
    while (smalls > 0 && larges > 0) {
      int less = small[--smalls];
      int more = large[--larges];
      threshold[less] = (long) (scaled[less] / (double) total * TWO_TO_32);
      alias[less] = more;
      scaled[more] -= total - scaled[less];
      if (scaled[more] < total) {
        small[smalls++] = more;
      } else {
        large[larges++] = more;
      }
    }
    // What is left is full (exactly, or within rounding): the column always keeps its pick.
    while (larges > 0) {
      int full = large[--larges];
      threshold[full] = 1L << 32;
      alias[full] = full;
    }
    while (smalls > 0) {
      int full = small[--smalls];
      threshold[full] = 1L << 32;
      alias[full] = full;
    }
    return new AliasTable(threshold, alias);
  }
}

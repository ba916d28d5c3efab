package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.balancer.EndpointView;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancer;
import dev.meshwork.core.balancer.PickContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Maglev consistent hashing (Google's Maglev paper, as in Envoy): a lookup table of prime size
 * (65537 by default) filled from per-endpoint permutations, weighted by giving each endpoint
 * turns in proportion to its weight. A pick is one hash and one array read, O(1); adding one
 * endpoint of n moves about 1/n of the keys.
 */
public final class MaglevLoadBalancer implements LoadBalancer {
  public static final int DEFAULT_TABLE_SIZE = 65537;

  private record Table(int[] slots, EndpointView[] endpoints) {
  }

  private final HashPolicy hashPolicy;
  private final RandomGenerator random;
  private final TableCache<Table> tables;

  public MaglevLoadBalancer(HashPolicy hashPolicy, int tableSize, RandomGenerator random) {
    this.hashPolicy = hashPolicy;
    this.random = random;
    this.tables = new TableCache<>(endpoints -> build(endpoints, tableSize));
  }

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    tables.rebuild(endpoints);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    String key = hashPolicy.keyOf(context.request());
    if (key == null) {
      return candidates.get(random.nextInt(candidates.size()));
    }
    Table table = tables.tableFor(candidates);
    boolean filtered = table == null;
    if (filtered) {
      // A subset of the last published set (retry, ejection): walk that table past excluded owners.
      table = tables.latest();
      if (table == null) {
        table = tables.buildFor(candidates);
        filtered = false;
      }
    }
    int size = table.slots().length;
    int slot = (int) Long.remainderUnsigned(Hashing.hash(key), size);
    if (!filtered) {
      return (E) table.endpoints()[table.slots()[slot]];
    }
    Set<EndpointView> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    allowed.addAll(candidates);
    for (int step = 0; step < size; step++) {
      EndpointView owner = table.endpoints()[table.slots()[(slot + step) % size]];
      if (allowed.contains(owner)) {
        return (E) owner;
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  public static boolean isPrime(int n) {
    if (n < 2) {
      return false;
    }
    for (int d = 2; (long) d * d <= n; d++) {
      if (n % d == 0) {
        return false;
      }
    }
    return true;
  }

  private static Table build(List<? extends EndpointView> endpoints, int requestedSize) {
    int n = endpoints.size();
    EndpointView[] owners = endpoints.toArray(new EndpointView[0]);
    int size = requestedSize;
    while (size < n) {
      // More endpoints than slots: grow to the next prime so every endpoint can own a slot.
      size = nextPrime(size * 2);
    }
    int[] slots = new int[size];
    if (n == 0) {
      return new Table(new int[0], owners);
    }
    Arrays.fill(slots, -1);
    long[] offset = new long[n];
    long[] skip = new long[n];
    long[] next = new long[n];
    double[] credit = new double[n];
    double maxWeight = 0;
    for (int i = 0; i < n; i++) {
      String address = owners[i].endpoint().address();
      offset[i] = Long.remainderUnsigned(Hashing.hash(address, 0x6d61676c6576L), size);
      skip[i] = Long.remainderUnsigned(Hashing.hash(address, 0x736b6970L), size - 1) + 1;
      maxWeight = Math.max(maxWeight, owners[i].endpoint().weight());
    }
    int filled = 0;
    while (filled < size) {
      for (int i = 0; i < n && filled < size; i++) {
        credit[i] += owners[i].endpoint().weight() / maxWeight;
        while (credit[i] >= 1 && filled < size) {
          credit[i] -= 1;
          int candidate;
          do {
            candidate = (int) ((offset[i] + next[i] * skip[i]) % size);
            next[i]++;
          } while (slots[candidate] >= 0);
          slots[candidate] = i;
          filled++;
        }
      }
    }
    return new Table(slots, owners);
  }

  private static int nextPrime(int from) {
    int candidate = from;
    while (!isPrime(candidate)) {
      candidate++;
    }
    return candidate;
  }
}

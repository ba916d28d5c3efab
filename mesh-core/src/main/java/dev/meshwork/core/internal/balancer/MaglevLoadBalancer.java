package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Maglev consistent hashing (Google's Maglev paper, as in Envoy): a lookup table of prime size
 * (65537 by default) filled from per-endpoint permutations, weighted by giving each endpoint turns
 * in proportion to its weight. A pick is one hash and one array read, O(1); adding one endpoint of
 * n moves about 1/n of the keys.
 */
public final class MaglevLoadBalancer implements LoadBalancer {
  public static final int DEFAULT_TABLE_SIZE = 65537;

  /** The owner of each slot, itself rather than its index: a pick reads one array, not two. */
  private record Table(EndpointView[] slots) {}

  private final HashPolicy hashPolicy;
  private final RandomGenerator random;
  private final TableCache<Table> tables;

  public MaglevLoadBalancer(HashPolicy hashPolicy, int tableSize, RandomGenerator random) {
    this.hashPolicy = hashPolicy;
    this.random = random;
    this.tables = new TableCache<>(endpoints -> build(endpoints, tableSize));
  }

  @Override
  public boolean keepsKeysOnEndpoints() {
    return true;
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
      return (E) table.slots()[slot];
    }
    Set<EndpointView> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    allowed.addAll(candidates);
    for (int step = 0; step < size; step++) {
      EndpointView owner = table.slots()[(slot + step) % size];
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
    if (n == 0) {
      return new Table(new EndpointView[0]);
    }
    int[] slots = new int[size];
    Arrays.fill(slots, -1);
    // Endpoint i's permutation is offset, offset + skip, offset + 2 skip, ... (mod size);
    // position[i]
    // is the next entry to try. Walking it by addition keeps divisions out of the fill loop, which
    // probes about size * ln(size) times in all (Maglev's coupon-collector tail).
    int[] position = new int[n];
    int[] skip = new int[n];
    int[] weight = new int[n];
    int maxWeight = 0;
    for (int i = 0; i < n; i++) {
      // One well-mixed 64-bit hash per endpoint; its two halves are independent enough to serve as
      // offset and skip (Maglev's two hash functions), and hashing once halves the string work.
      long hash =
          Hashing.hash(owners[i].endpoint().host(), owners[i].endpoint().port(), 0x6d61676c6576L);
      position[i] = (int) ((hash >>> 32) % size);
      skip[i] = (int) ((hash & 0xffffffffL) % (size - 1)) + 1;
      weight[i] = owners[i].endpoint().weight();
      maxWeight = Math.max(maxWeight, weight[i]);
    }
    int filled = 0;
    boolean equalWeights = true;
    for (int w : weight) {
      equalWeights &= w == maxWeight;
    }
    if (equalWeights) {
      // Everyone takes one turn per round: the weighted loop below with every credit exactly 1.
      while (true) {
        for (int i = 0; i < n; i++) {
          claimNext(i, slots, position, skip);
          if (++filled == size) {
            return owned(slots, owners);
          }
        }
      }
    }
    // Each round adds weight/maxWeight to every endpoint's credit (scaled by maxWeight to stay in
    // integers) and gives it one turn per whole credit: turns in proportion to weight.
    long[] credit = new long[n];
    while (true) {
      for (int i = 0; i < n; i++) {
        credit[i] += weight[i];
        while (credit[i] >= maxWeight) {
          credit[i] -= maxWeight;
          claimNext(i, slots, position, skip);
          if (++filled == size) {
            return owned(slots, owners);
          }
        }
      }
    }
  }

  private static Table owned(int[] slots, EndpointView[] owners) {
    EndpointView[] owned = new EndpointView[slots.length];
    for (int i = 0; i < slots.length; i++) {
      owned[i] = owners[slots[i]];
    }
    return new Table(owned);
  }

  /** Gives endpoint {@code i} the first free slot along its permutation. */
  private static void claimNext(int i, int[] slots, int[] position, int[] skip) {
    int size = slots.length;
    int step = skip[i];
    int p = position[i];
    while (slots[p] >= 0) {
      p += step;
      if (p >= size) {
        p -= size;
      }
    }
    slots[p] = i;
    p += step;
    position[i] = p >= size ? p - size : p;
  }

  private static int nextPrime(int from) {
    int candidate = from;
    while (!isPrime(candidate)) {
      candidate++;
    }
    return candidate;
  }
}

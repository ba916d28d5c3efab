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
 * Consistent hashing on a ring (Ketama style, as Envoy's ring_hash): every endpoint owns points on
 * a 64-bit ring in proportion to its weight, and a key goes to the owner of the first point at or
 * after its hash. Adding or removing one endpoint of n moves about 1/n of the keys. Lookup is a
 * binary search, O(log ring size); the ring is built when the endpoint set changes.
 */
public final class RingHashLoadBalancer implements LoadBalancer {
  /** Envoy's bounds for the ring size. */
  public static final int MIN_RING_SIZE = 1024;

  public static final int MAX_RING_SIZE = 8 * 1024 * 1024;

  /** Low bits of a sort key that hold the owner's index; enough for any list a ring can hold. */
  private static final int INDEX_BITS = 24;

  private static final long INDEX_MASK = (1L << INDEX_BITS) - 1;

  /** SplitMix64's increment (the golden ratio in 64 bits). */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private record Ring(long[] hashes, EndpointView[] owners) {}

  private final HashPolicy hashPolicy;
  private final RandomGenerator random;
  private final TableCache<Ring> rings;

  public RingHashLoadBalancer(HashPolicy hashPolicy, int minRingSize, RandomGenerator random) {
    this.hashPolicy = hashPolicy;
    this.random = random;
    this.rings = new TableCache<>(endpoints -> build(endpoints, minRingSize));
  }

  @Override
  public boolean keepsKeysOnEndpoints() {
    return true;
  }

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    rings.rebuild(endpoints);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    String key = hashPolicy.keyOf(context.request());
    if (key == null) {
      return candidates.get(random.nextInt(candidates.size()));
    }
    Ring ring = rings.tableFor(candidates);
    boolean filtered = ring == null;
    if (filtered) {
      // A subset of the last published set (retry, ejection): walk that table past excluded owners.
      ring = rings.latest();
      if (ring == null) {
        ring = rings.buildFor(candidates);
        filtered = false;
      }
    }
    int index = Arrays.binarySearch(ring.hashes(), Hashing.hash(key));
    index = index >= 0 ? index : -index - 1;
    return owner(ring, index, candidates, filtered);
  }

  /** The owner at {@code index}, walking on past owners that are not among the candidates. */
  @SuppressWarnings("unchecked")
  private <E extends EndpointView> E owner(
      Ring ring, int index, List<E> candidates, boolean filtered) {
    int size = ring.hashes().length;
    if (!filtered) {
      return (E) ring.owners()[index % size];
    }
    Set<EndpointView> allowed = Collections.newSetFromMap(new IdentityHashMap<>());
    allowed.addAll(candidates);
    for (int step = 0; step < size; step++) {
      EndpointView owner = ring.owners()[(index + step) % size];
      if (allowed.contains(owner)) {
        return (E) owner;
      }
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  private static Ring build(List<? extends EndpointView> endpoints, int minRingSize) {
    long totalWeight = 0;
    int minWeight = Integer.MAX_VALUE;
    for (EndpointView endpoint : endpoints) {
      totalWeight += endpoint.endpoint().weight();
      minWeight = Math.min(minWeight, endpoint.endpoint().weight());
    }
    if (endpoints.isEmpty()) {
      return new Ring(new long[0], new EndpointView[0]);
    }
    if (endpoints.size() > INDEX_MASK) {
      // Beyond 16 M endpoints the index does not fit the sort key (and the ring is at its maximum
      // anyway).
      throw new IllegalArgumentException(
          "ring hash takes at most " + INDEX_MASK + " endpoints, got " + endpoints.size());
    }
    // Points per unit of the lightest weight: a power of two, so the count per endpoint stays the
    // same across most membership changes and a joining endpoint takes keys only for itself.
    double units = (double) totalWeight / minWeight;
    long perUnit = Long.highestOneBit((long) Math.ceil(minRingSize / units) * 2 - 1);
    perUnit = Math.max(1, Math.min(perUnit, (long) (MAX_RING_SIZE / units)));
    int[] counts = new int[endpoints.size()];
    int total = 0;
    for (int i = 0; i < counts.length; i++) {
      counts[i] =
          (int)
              Math.max(
                  1,
                  Math.round(perUnit * (double) endpoints.get(i).endpoint().weight() / minWeight));
      total += counts[i];
    }
    // Each point is sorted as one long: the top 40 bits of its hash above its owner's index, so a
    // primitive sort orders points by hash and carries the owner along (no boxing, no comparator).
    // The ring keeps the hashes with the index bits cleared; 40 bits leave ties between 20,000
    // points unlikely (about one ring in 5,000), and a tie only orders the two points by index.
    long[] points = new long[total];
    int at = 0;
    for (int i = 0; i < counts.length; i++) {
      var endpoint = endpoints.get(i).endpoint();
      // The k-th point of an endpoint is the k-th output of SplitMix64 seeded with the hash of its
      // address: as well spread as hashing "address_k", without building a string per point.
      long seed = Hashing.hash(endpoint.host(), endpoint.port(), 0);
      for (int k = 1; k <= counts[i]; k++) {
        points[at++] = Hashing.mix(seed + k * GOLDEN_GAMMA) & ~INDEX_MASK | i;
      }
    }
    Arrays.sort(points);
    long[] sortedHashes = new long[total];
    EndpointView[] owners = new EndpointView[total];
    for (int i = 0; i < total; i++) {
      sortedHashes[i] = points[i] & ~INDEX_MASK;
      owners[i] = endpoints.get((int) (points[i] & INDEX_MASK));
    }
    return new Ring(sortedHashes, owners);
  }
}

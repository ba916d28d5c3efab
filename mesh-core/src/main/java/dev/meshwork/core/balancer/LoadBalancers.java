package dev.meshwork.core.balancer;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.balancer.LeastRequestLoadBalancer;
import dev.meshwork.core.internal.balancer.MaglevLoadBalancer;
import dev.meshwork.core.internal.balancer.NamedFactory;
import dev.meshwork.core.internal.balancer.PeakEwmaLoadBalancer;
import dev.meshwork.core.internal.balancer.RandomLoadBalancer;
import dev.meshwork.core.internal.balancer.RingHashLoadBalancer;
import dev.meshwork.core.internal.balancer.RoundRobinLoadBalancer;
import dev.meshwork.core.internal.balancer.WeightedRoundRobinLoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The built-in balancing policies. The default is {@link #leastRequest()}.
 *
 * <pre>{@code
 * Mesh.builder().service("mathoid", s -> s
 *     .endpoints("127.0.0.1:8081", "127.0.0.1:8082")
 *     .loadBalancer(LoadBalancers.peakEwma()));
 * }</pre>
 *
 * <p>The unseeded variants draw from the mesh's generator: {@link ThreadLocalRandom}, or one seeded
 * with {@link dev.meshwork.core.MeshBuilder#randomSeed}. Variants taking a {@code seed} draw from a
 * generator of their own seeded with it, for a reproducible balancer in any mesh.
 *
 * <p>Each factory's {@code name()} is the policy as the effective configuration shows it, every
 * setting that is not the default included: {@code least_request}, {@code random(seed=42)}, {@code
 * ring_hash(header x-user-id, minRingSize=4096)}, {@code maglev(cookie session)}.
 */
public final class LoadBalancers {
  private LoadBalancers() {}

  /** Each endpoint in turn, ignoring weights. */
  public static LoadBalancerFactory roundRobin() {
    return RoundRobinLoadBalancer.FACTORY;
  }

  /** Smooth weighted round robin: turns in proportion to weight, interleaved. */
  public static LoadBalancerFactory weightedRoundRobin() {
    return new NamedFactory(
        "weighted_round_robin", (service, clock, random) -> new WeightedRoundRobinLoadBalancer());
  }

  /** Weighted random choice. */
  public static LoadBalancerFactory random() {
    return new NamedFactory("random", (service, clock, random) -> new RandomLoadBalancer(random));
  }

  /** {@link #random()} drawing from a generator seeded with {@code seed}. */
  public static LoadBalancerFactory random(long seed) {
    return new NamedFactory(
        "random(seed=" + seed + ")",
        List.of("seed", seed),
        (service, clock, random) -> new RandomLoadBalancer(seeded(seed)));
  }

  /**
   * Least request with the power of two choices: of two random endpoints, the one with fewer
   * requests in flight relative to its weight. The default, as in Envoy.
   */
  public static LoadBalancerFactory leastRequest() {
    return new NamedFactory(
        "least_request", (service, clock, random) -> new LeastRequestLoadBalancer(random));
  }

  /** {@link #leastRequest()} drawing from a generator seeded with {@code seed}. */
  public static LoadBalancerFactory leastRequest(long seed) {
    return new NamedFactory(
        "least_request(seed=" + seed + ")",
        List.of("seed", seed),
        (service, clock, random) -> new LeastRequestLoadBalancer(seeded(seed)));
  }

  /**
   * Peak-EWMA with the power of two choices: of two random endpoints, the one with the lower
   * latency estimate times requests in flight. Latency starts at 30 ms and decays over 10 s.
   */
  public static LoadBalancerFactory peakEwma() {
    return new NamedFactory(
        "peak_ewma", (service, clock, random) -> new PeakEwmaLoadBalancer(random, clock));
  }

  /** {@link #peakEwma()} drawing from a generator seeded with {@code seed}. */
  public static LoadBalancerFactory peakEwma(long seed) {
    return new NamedFactory(
        "peak_ewma(seed=" + seed + ")",
        List.of("seed", seed),
        (service, clock, random) -> new PeakEwmaLoadBalancer(seeded(seed), clock));
  }

  /** Consistent hashing on a ring of at least 1024 points, keyed by {@code key}. */
  public static LoadBalancerFactory ringHash(HashPolicy key) {
    return ringHash(key, RingHashLoadBalancer.MIN_RING_SIZE);
  }

  /**
   * Consistent hashing on a ring of at least {@code minRingSize} points (1024 .. 8388608, as Envoy
   * allows); more points spread keys more evenly and cost memory and build time.
   */
  public static LoadBalancerFactory ringHash(HashPolicy key, int minRingSize) {
    Objects.requireNonNull(key, "key");
    if (minRingSize < RingHashLoadBalancer.MIN_RING_SIZE
        || minRingSize > RingHashLoadBalancer.MAX_RING_SIZE) {
      throw new MeshConfigException(
          "ringHash minRingSize",
          minRingSize,
          "a size in "
              + RingHashLoadBalancer.MIN_RING_SIZE
              + ".."
              + RingHashLoadBalancer.MAX_RING_SIZE);
    }
    return new NamedFactory(
        "ring_hash("
            + key
            + (minRingSize == RingHashLoadBalancer.MIN_RING_SIZE
                ? ""
                : ", minRingSize=" + minRingSize)
            + ")",
        List.of(key, minRingSize),
        (service, clock, random) -> new RingHashLoadBalancer(key, minRingSize, random));
  }

  /** Maglev consistent hashing with a 65537-entry table, keyed by {@code key}. */
  public static LoadBalancerFactory maglev(HashPolicy key) {
    return maglev(key, MaglevLoadBalancer.DEFAULT_TABLE_SIZE);
  }

  /** Maglev with a table of {@code tableSize} entries, which must be a prime of at least 127. */
  public static LoadBalancerFactory maglev(HashPolicy key, int tableSize) {
    Objects.requireNonNull(key, "key");
    if (tableSize < 127 || !MaglevLoadBalancer.isPrime(tableSize)) {
      throw new MeshConfigException(
          "maglev tableSize", tableSize, "a prime number of at least 127, such as 65537");
    }
    return new NamedFactory(
        "maglev("
            + key
            + (tableSize == MaglevLoadBalancer.DEFAULT_TABLE_SIZE ? "" : ", tableSize=" + tableSize)
            + ")",
        List.of(key, tableSize),
        (service, clock, random) -> new MaglevLoadBalancer(key, tableSize, random));
  }

  private static RandomGenerator seeded(long seed) {
    // java.util.Random is thread-safe, unlike SplittableRandom; reproducibility matters more than
    // speed here.
    return new Random(seed);
  }
}

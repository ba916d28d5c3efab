package dev.meshwork.core.internal.resilience;

import java.util.function.DoubleSupplier;

/**
 * Exponential back-off with full jitter (AWS's "full jitter"; Envoy's retry back-off): before retry
 * {@code n} wait a uniformly random time in {@code [0, min(max, base * 2^(n-1))]}, so that clients
 * that failed together do not retry together.
 */
public final class Backoff {
  private Backoff() {}

  /**
   * @param retry 1 for the first retry
   * @param random uniform values in [0, 1)
   */
  public static long nanos(int retry, long baseNanos, long maxNanos, DoubleSupplier random) {
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long ceiling =
        baseNanos > (maxNanos >> shift) ? maxNanos : Math.min(maxNanos, baseNanos << shift);
    return (long) (random.getAsDouble() * ceiling);
  }
}

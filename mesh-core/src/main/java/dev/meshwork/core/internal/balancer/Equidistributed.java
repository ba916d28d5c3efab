package dev.meshwork.core.internal.balancer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers in [0, 1) from the golden-ratio (Weyl) sequence: every stretch of n draws covers the
 * interval within about 1/n, so a share taken by comparing draws to p is p within a few draws, with
 * no seed to manage. Thread-safe and lock-free (one atomic add per draw).
 */
final class Equidistributed {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private final AtomicLong state = new AtomicLong();

  double next() {
    return (state.getAndAdd(GOLDEN) >>> 11) * 0x1.0p-53;
  }
}

package dev.meshwork.core.internal.resilience;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts events over a sliding window of whole seconds, lock-free. Each one-second bucket packs its
 * second number and its count into one long, so moving a bucket to a new second and counting in it
 * is a single compare-and-set and no event is lost to a reset race.
 */
final class WindowedCounter {
  private static final int COUNT_BITS = 24;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long NANOS_PER_BUCKET = 1_000_000_000L;

  private final AtomicLongArray buckets;
  private final long originNanos;

  /**
   * @param seconds the window length, one bucket per second
   */
  WindowedCounter(int seconds, long originNanos) {
    this.buckets = new AtomicLongArray(seconds);
    this.originNanos = originNanos;
  }

  void increment(long nowNanos) {
    long second = second(nowNanos);
    int index = (int) (second % buckets.length());
    for (; ; ) {
      long packed = buckets.get(index);
      long next;
      if (packed >>> COUNT_BITS == second) {
        long count = packed & COUNT_MASK;
        if (count == COUNT_MASK) {
          return; // saturated: 16M events in one second; the budget only needs "a lot"
        }
        next = packed + 1;
      } else {
        next = (second << COUNT_BITS) | 1;
      }
      if (buckets.compareAndSet(index, packed, next)) {
        return;
      }
    }
  }

  /** Events counted in the window ending at {@code nowNanos}. */
  long sum(long nowNanos) {
    long second = second(nowNanos);
    long oldest = second - buckets.length() + 1;
    long total = 0;
    for (int i = 0; i < buckets.length(); i++) {
      long packed = buckets.get(i);
      long bucketSecond = packed >>> COUNT_BITS;
      if (packed != 0 && bucketSecond >= oldest && bucketSecond <= second) {
        total += packed & COUNT_MASK;
      }
    }
    return total;
  }

  private long second(long nowNanos) {
    // +1 so that second 0 never packs to the empty bucket's value 0
    return Math.max(0, nowNanos - originNanos) / NANOS_PER_BUCKET + 1;
  }
}

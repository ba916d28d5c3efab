package dev.meshwork.core.internal.endpoint;

import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A peak-sensitive moving average of an endpoint's latency, after Finagle's and Linkerd's
 * peak-EWMA: a sample above the estimate replaces it at once (so a slowing endpoint is noticed
 * on its first slow answer), a lower one is blended in with weight {@code 1 - e^(-elapsed/decay)},
 * and reads decay the estimate toward zero so an idle endpoint is eventually tried again.
 *
 * <p>Lock-free: the (estimate, timestamp) pair is one immutable value swapped by CAS.
 */
public final class PeakEwma {
  /** Assumed latency before the first sample: 30 ms, as in Finagle and Linkerd. */
  public static final long DEFAULT_RTT_NANOS = 30_000_000L;
  /** Time constant of the decay: 10 s. */
  public static final long DECAY_NANOS = 10_000_000_000L;

  private record Value(double estimateNanos, long atNanos, boolean sampled) {
  }

  private static final AtomicReferenceFieldUpdater<PeakEwma, Value> VALUE =
      AtomicReferenceFieldUpdater.newUpdater(PeakEwma.class, Value.class, "value");
  /** A field rather than an AtomicReference so a pick reaches the estimate with one pointer hop less. */
  private volatile Value value;

  public PeakEwma(long nowNanos) {
    value = new Value(DEFAULT_RTT_NANOS, nowNanos, false);
  }

  /** Adds a latency sample taken at {@code nowNanos}. */
  public void observe(long rttNanos, long nowNanos) {
    while (true) {
      Value current = value;
      double next;
      if (!current.sampled() || rttNanos > current.estimateNanos()) {
        next = rttNanos;
      } else {
        double weight = Math.exp(-Math.max(0, nowNanos - current.atNanos()) / (double) DECAY_NANOS);
        next = current.estimateNanos() * weight + rttNanos * (1 - weight);
      }
      if (VALUE.compareAndSet(this, current, new Value(next, nowNanos, true))) {
        return;
      }
    }
  }

  /** The estimate at {@code nowNanos}, decayed for the time since the last sample. */
  public double estimateNanos(long nowNanos) {
    Value current = value;
    double elapsed = Math.max(0, nowNanos - current.atNanos());
    return current.estimateNanos() * Math.exp(-elapsed / DECAY_NANOS);
  }
}

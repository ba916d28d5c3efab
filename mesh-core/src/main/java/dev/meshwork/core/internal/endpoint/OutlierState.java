package dev.meshwork.core.internal.endpoint;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What outlier detection knows of one endpoint address: failure streaks and interval counts
 * (written by calls, lock-free) and the ejection (written only by the service's detector, under its
 * lock, read by calls through the volatile flag).
 */
public final class OutlierState {
  final AtomicInteger consecutive5xx = new AtomicInteger();
  final AtomicInteger consecutiveGatewayFailures = new AtomicInteger();
  final LongAdder intervalRequests = new LongAdder();
  final LongAdder intervalFailures = new LongAdder();

  /**
   * One more than the detector interval of the last maxEjectionPercent warning about this endpoint;
   * 0 for none.
   */
  private final AtomicLong capWarnedInterval = new AtomicLong();

  private volatile boolean ejected;
  private long ejectedUntilNanos;
  private int ejections;

  /** Records an answer below 500; ends both streaks. */
  public void recordSuccess() {
    intervalRequests.increment();
    if (consecutive5xx.get() != 0) {
      consecutive5xx.set(0);
    }
    if (consecutiveGatewayFailures.get() != 0) {
      consecutiveGatewayFailures.set(0);
    }
  }

  /**
   * Records a 5xx or an I/O failure; {@code gateway} for 502/503/504 and I/O failures. Returns the
   * 5xx streak.
   */
  public int recordFailure(boolean gateway) {
    intervalRequests.increment();
    intervalFailures.increment();
    if (gateway) {
      consecutiveGatewayFailures.incrementAndGet();
    } else if (consecutiveGatewayFailures.get() != 0) {
      consecutiveGatewayFailures.set(0);
    }
    return consecutive5xx.incrementAndGet();
  }

  public int consecutiveGatewayFailures() {
    return consecutiveGatewayFailures.get();
  }

  public boolean ejected() {
    return ejected;
  }

  /**
   * When the ejection ends, in mesh-clock nanoseconds; meaningful only while {@link #ejected()}.
   * Detector lock.
   */
  public long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  /**
   * The ejection multiplier: times ejected, less one for each healthy interval since. Detector
   * lock.
   */
  public int ejections() {
    return ejections;
  }

  /** Detector lock. */
  public void eject(long untilNanos) {
    ejections++;
    ejectedUntilNanos = untilNanos;
    consecutive5xx.set(0);
    consecutiveGatewayFailures.set(0);
    ejected = true;
  }

  /** Detector lock. */
  public void restore() {
    ejected = false;
  }

  /**
   * Detector lock: an interval without failures, spent in balancing, lowers the multiplier by one,
   * so an endpoint that recovered for good is judged afresh.
   */
  public void healthyIntervalIfClean(long[] interval) {
    if (ejections > 0 && interval[1] == 0) {
      ejections--;
    }
  }

  /**
   * Claims the warning that maxEjectionPercent kept this endpoint in balancing during detector
   * interval {@code interval} (counted from 0); {@code false} when it was claimed already.
   * Lock-free.
   */
  public boolean claimCapWarning(long interval) {
    long claimed = interval + 1;
    for (; ; ) {
      long previous = capWarnedInterval.get();
      if (previous >= claimed) {
        return false;
      }
      if (capWarnedInterval.compareAndSet(previous, claimed)) {
        return true;
      }
    }
  }

  /** The interval's request and failure counts, reset for the next interval. Detector lock. */
  public long[] drainInterval() {
    return new long[] {intervalRequests.sumThenReset(), intervalFailures.sumThenReset()};
  }
}

package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.internal.telemetry.EndpointMeters;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one endpoint address. Shared by every {@link EndpointState} that describes the
 * same address, so the numbers survive discovery updates. Lock-free: atomics and adders only.
 */
public final class EndpointStats {
  private final AtomicInteger active = new AtomicInteger();
  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final PeakEwma latency;
  private final OutlierState outlier = new OutlierState();
  private final HealthState health = new HealthState();
  /** This endpoint's meters, made on its first metered attempt; kept here so they survive discovery updates. */
  private volatile EndpointMeters meters;

  /** @param nowNanos the mesh clock's time when the endpoint first appeared */
  public EndpointStats(long nowNanos) {
    this.latency = new PeakEwma(nowNanos);
  }

  /** An attempt on this endpoint starts. */
  public void attemptStarted() {
    active.incrementAndGet();
  }

  /**
   * An attempt that {@link #attemptStarted() started} ended with {@code outcome} after {@code
   * latencyNanos}, observed at {@code nowNanos}.
   */
  public void attemptEnded(AttemptOutcome outcome, long latencyNanos, long nowNanos) {
    active.decrementAndGet();
    latency.observe(latencyNanos, nowNanos);
    if (outcome == AttemptOutcome.SUCCESS) {
      successes.increment();
    } else {
      failures.increment();
    }
  }

  /** Outlier-detection state; survives discovery updates like the counters. */
  public OutlierState outlier() {
    return outlier;
  }

  /** Active health-check state; survives discovery updates like the counters. */
  public HealthState health() {
    return health;
  }

  public int activeRequests() {
    return active.get();
  }

  public long successes() {
    return successes.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /** The peak-EWMA latency estimate at {@code nowNanos}. */
  public double latencyEstimateNanos(long nowNanos) {
    return latency.estimateNanos(nowNanos);
  }

  /** The endpoint's meters, or {@code null} before its first metered attempt. */
  public EndpointMeters meters() {
    return meters;
  }

  public void meters(EndpointMeters meters) {
    this.meters = meters;
  }
}

package dev.meshwork.core.internal.endpoint;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one endpoint address. Shared by every {@link EndpointState} that describes the
 * same address, so the numbers survive discovery updates. Lock-free: atomics and adders only.
 */
public final class EndpointStats {
  private static final AtomicIntegerFieldUpdater<EndpointStats> ACTIVE =
      AtomicIntegerFieldUpdater.newUpdater(EndpointStats.class, "active");
  private static final VarHandle LATENCY_BITS;
  private static final VarHandle RAMP_START;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      LATENCY_BITS = lookup.findVarHandle(EndpointStats.class, "latencyBits", long.class);
      RAMP_START = lookup.findVarHandle(EndpointStats.class, "rampStartNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * Attempts in flight; a field rather than an AtomicInteger so balancers reach it with one pointer
   * hop less.
   */
  private volatile int active;

  private final LongAdder successes = new LongAdder();
  private final LongAdder failures = new LongAdder();

  /**
   * The {@link PeakEwma} estimate as {@code Double} bits, negated before the first sample. Here
   * rather than in an object of its own so a pick reads it with no pointer hop past this object.
   */
  private volatile long latencyBits =
      Double.doubleToRawLongBits(-(double) PeakEwma.DEFAULT_RTT_NANOS);

  /**
   * When the estimate was last set (mesh clock). Written after the estimate, so the pair is not
   * read atomically: a reader or a racing sample may pair a new estimate with the previous time.
   * The error is the decay over the few instructions between the two writes, nanoseconds against a
   * 10 s time constant, which is why one CAS on the estimate is enough and no lock is needed.
   */
  private volatile long latencyAtNanos;

  private final OutlierState outlier = new OutlierState();
  private final HealthState health = new HealthState();

  /**
   * This endpoint's meters, made on its first metered attempt; kept here so they survive discovery
   * updates.
   */
  private volatile Meters meters;

  /** When the endpoint began its slow-start ramp (mesh clock), or {@link #NOT_RAMPING}. */
  private volatile long rampStartNanos;

  /**
   * Whether the endpoint was out of balancing (ejected or failing checks) at the last candidate
   * refresh; service monitor.
   */
  private boolean outOfService;

  /** Marks an endpoint that is not ramping up. */
  public static final long NOT_RAMPING = Long.MIN_VALUE;

  /**
   * @param nowNanos the mesh clock's time when the endpoint first appeared; its slow start begins
   *     then
   */
  public EndpointStats(long nowNanos) {
    this.latencyAtNanos = nowNanos;
    this.rampStartNanos = nowNanos;
  }

  /** When the endpoint's slow-start ramp began, or {@link #NOT_RAMPING}. */
  public long rampStartNanos() {
    return rampStartNanos;
  }

  /**
   * The endpoint takes its full share from now on, for example because it arrived with the first
   * set.
   */
  public void skipRamp() {
    rampStartNanos = NOT_RAMPING;
  }

  /** The ramp that began at {@code startNanos} is over; a no-op when a new ramp began meanwhile. */
  public void rampEnded(long startNanos) {
    RAMP_START.compareAndSet(this, startNanos, NOT_RAMPING);
  }

  /**
   * Records whether the endpoint is usable now; one that comes back (from an ejection or failed
   * health checks) starts a new ramp at {@code nowNanos}, as Envoy does after a failed health
   * check, because it may have restarted cold. Called under the service's monitor.
   */
  public void inService(boolean usable, long nowNanos) {
    if (usable && outOfService) {
      rampStartNanos = nowNanos;
    }
    outOfService = !usable;
  }

  /** An attempt on this endpoint starts. */
  public void attemptStarted() {
    ACTIVE.incrementAndGet(this);
  }

  /**
   * An attempt that {@link #attemptStarted() started} ended with {@code outcome} after {@code
   * latencyNanos}, observed at {@code nowNanos}.
   */
  public void attemptEnded(AttemptOutcome outcome, long latencyNanos, long nowNanos) {
    ACTIVE.decrementAndGet(this);
    if (outcome == AttemptOutcome.CANCELLED) {
      return; // its latency is only a lower bound, which would make a slow endpoint look fast
    }
    observeLatency(latencyNanos, nowNanos);
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
    return active;
  }

  public long successes() {
    return successes.sum();
  }

  public long failures() {
    return failures.sum();
  }

  /**
   * The peak-EWMA latency estimate at {@code nowNanos}, decayed for the time since the last sample.
   */
  public double latencyEstimateNanos(long nowNanos) {
    long at = latencyAtNanos;
    return latencyEstimateAtSampleNanos() * PeakEwma.decay(nowNanos - at);
  }

  /**
   * The estimate as of its last sample (or the default, as of this object's creation), undecayed.
   */
  double latencyEstimateAtSampleNanos() {
    return Math.abs(Double.longBitsToDouble(latencyBits));
  }

  /** When the estimate was last set: the last sample, or this object's creation (mesh clock). */
  long latencyAtNanos() {
    return latencyAtNanos;
  }

  /** Adds a latency sample taken at {@code nowNanos} to the peak-EWMA estimate; lock-free. */
  void observeLatency(long rttNanos, long nowNanos) {
    while (true) {
      long bits = latencyBits;
      long at = latencyAtNanos;
      double next = PeakEwma.next(Double.longBitsToDouble(bits), nowNanos - at, rttNanos);
      if (LATENCY_BITS.compareAndSet(this, bits, Double.doubleToRawLongBits(next))) {
        latencyAtNanos = nowNanos;
        return;
      }
    }
  }

  /** The endpoint's meters, or {@code null} before its first metered attempt. */
  public Meters meters() {
    return meters;
  }

  public void meters(Meters meters) {
    this.meters = meters;
  }

  /**
   * The meters telemetry keeps for an endpoint. Opaque here: the statistics only carry them, so
   * they are found without a lookup and outlive discovery updates.
   */
  public interface Meters {}
}

package dev.meshwork.core.internal.resilience;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A service's circuit breaker: resilience4j's state machine, fed attempt by attempt and driven by
 * the mesh clock, so tests move it through closed, open and half-open without sleeping.
 */
public final class ServiceBreaker {
  /** What the breaker records for a 5xx answer; no stack trace, it is never thrown. */
  private static final Exception SERVER_ERROR = new ServerErrorMarker("5xx response");

  private final CircuitBreaker breaker;
  private final CircuitBreakerPolicy policy;
  private final MeshClock clock;

  /** Why the breaker last opened, taken when it did; guarded by this object's lock. */
  private String openedBecause;

  /** When it last opened (mesh clock); guarded by this object's lock. */
  private long openedAtNanos;

  /** A refusal as it happened: the state that refused, and why, in words. */
  public record Refusal(String state, String reason) {}

  public ServiceBreaker(ServiceName service, CircuitBreakerPolicy policy, MeshClock clock) {
    this.policy = policy;
    // The synchronized window (resilience4j's default) over the lock-free one: the lock-free window
    // allocates a snapshot and retries a CAS on every outcome, and under load it cost the breaker
    // about 1.7 times the samples and all of its allocation (JFR, 16 callers, RESULTS.md).
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .failureRateThreshold((float) policy.failureRateThreshold())
            .slidingWindow(
                (int) policy.window().toSeconds(),
                policy.minimumCalls(),
                SlidingWindowType.TIME_BASED,
                SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
            .waitDurationInOpenState(policy.openDuration())
            .permittedNumberOfCallsInHalfOpenState(policy.halfOpenProbes())
            .automaticTransitionFromOpenToHalfOpenEnabled(false)
            .writableStackTraceEnabled(false)
            .clock(new MeshJavaClock(clock))
            .currentTimestampFunction(c -> clock.nanoTime(), TimeUnit.NANOSECONDS)
            .build();
    this.breaker = CircuitBreaker.of(service.value(), config);
    this.clock = clock;
  }

  /**
   * Takes a permit for one attempt; {@code null} when granted, else the refusal with the state and
   * reason that caused it.
   */
  public Refusal tryAcquire() {
    CircuitBreaker.State before = breaker.getState();
    if (breaker.tryAcquirePermission()) {
      return null;
    }
    // A refusal comes from an open breaker, from a closed one in the middle of opening, or from a
    // half-open one whose probes are all out; only the last is still half-open after the refusal.
    if (before == CircuitBreaker.State.HALF_OPEN
        && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
      return new Refusal(
          "HALF_OPEN", "all " + policy.halfOpenProbes() + " half-open probe calls are in flight");
    }
    synchronized (this) {
      // The lock waits out an opening still under way on another thread (see onSuccess).
      long remaining = policy.openDuration().toNanos() - (clock.nanoTime() - openedAtNanos);
      String because =
          openedBecause != null
              ? openedBecause
              : String.format(
                  Locale.ROOT, "failure rate reached %.1f%%", policy.failureRateThreshold());
      return new Refusal(
          "OPEN",
          because
              + "; retrying after "
              + Math.max(0, TimeUnit.NANOSECONDS.toMillis(remaining))
              + " ms");
    }
  }

  /** Returns a permit taken for an attempt that was never made. */
  public void release() {
    breaker.releasePermission();
  }

  /**
   * Outcomes are recorded under this object's lock, so that an outcome that opens the breaker can
   * describe the metrics that opened it. The window (synchronized) takes a lock per outcome
   * already; this one is taken just as often.
   *
   * <p>The opening is seen by comparing the breaker before and after, not by a listener on its
   * event publisher: with any listener, resilience4j builds an event, wall-clock time stamp
   * included, for every outcome, under this lock that every caller takes.
   */
  public synchronized void onSuccess(long nanos) {
    CircuitBreaker.State before = breaker.getState();
    CircuitBreaker.Metrics window = breaker.getMetrics();
    breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
    noteOpening(before, window);
  }

  public synchronized void onFailure(long nanos, Throwable failure) {
    CircuitBreaker.State before = breaker.getState();
    CircuitBreaker.Metrics window = breaker.getMetrics();
    breaker.onError(nanos, TimeUnit.NANOSECONDS, failure == null ? SERVER_ERROR : failure);
    noteOpening(before, window);
  }

  /**
   * Calls {@link #opened} if the outcome just recorded opened the breaker. Outcomes are recorded
   * under this lock, but a permit taken meanwhile may move an open breaker to half-open, whose
   * probes have a window of their own: an outcome that reopens it then finds the breaker open
   * before and after, on another window.
   */
  private void noteOpening(CircuitBreaker.State before, CircuitBreaker.Metrics window) {
    if (breaker.getState() == CircuitBreaker.State.OPEN
        && (before != CircuitBreaker.State.OPEN || breaker.getMetrics() != window)) {
      opened(before != CircuitBreaker.State.CLOSED);
    }
  }

  /**
   * The breaker just opened, on this thread, under the lock; {@code probes}: its half-open probes
   * failed (it was not closed before this outcome).
   */
  private void opened(boolean probes) {
    CircuitBreaker.Metrics metrics = breaker.getMetrics();
    openedAtNanos = clock.nanoTime();
    String calls =
        probes
            ? "half-open probe calls"
            : "calls in the last " + policy.window().toSeconds() + " s";
    openedBecause =
        String.format(
            Locale.ROOT,
            "failure rate %.1f%% of %d %s reached %.1f%%",
            metrics.getFailureRate(),
            metrics.getNumberOfBufferedCalls(),
            calls,
            policy.failureRateThreshold());
  }

  /** {@code CLOSED}, {@code OPEN}, {@code HALF_OPEN}, ... */
  public String state() {
    return breaker.getState().name();
  }

  /** A recorded failure that carries no stack trace. */
  private static final class ServerErrorMarker extends Exception {
    private static final long serialVersionUID = 1L;

    ServerErrorMarker(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * The mesh clock as the {@link Clock} resilience4j reads for its open-state wait and time window.
   */
  private static final class MeshJavaClock extends Clock {
    private final MeshClock clock;

    MeshJavaClock(MeshClock clock) {
      this.clock = clock;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    /**
     * Monotonic time, not wall time: resilience4j measures only durations with it (the window's
     * seconds, the open-state wait), which must not jump when the wall clock is stepped. It is also
     * cheaper; the window reads it on every outcome, and the wall clock is a native call.
     */
    @Override
    public Instant instant() {
      return Instant.ofEpochSecond(0, clock.nanoTime());
    }

    @Override
    public long millis() {
      return Math.floorDiv(clock.nanoTime(), 1_000_000L);
    }
  }
}

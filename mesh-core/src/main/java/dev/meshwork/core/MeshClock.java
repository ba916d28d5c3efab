package dev.meshwork.core;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's source of time. Everything time-dependent (balancer statistics, and later breakers,
 * ejection, budgets, backoff and certificate renewal) reads it, so tests drive time by hand instead
 * of sleeping.
 */
public interface MeshClock {

  /** Monotonic nanoseconds for measuring intervals; only differences are meaningful. */
  long nanoTime();

  /** Wall-clock time, for timestamps people read and certificate validity. */
  Instant now();

  /**
   * Waits {@code nanos} nanoseconds of this clock's time; retry back-off waits here. A test clock
   * may advance itself instead of blocking.
   */
  default void sleep(long nanos) throws InterruptedException {
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  /** The system clock: {@link System#nanoTime()} and {@link Instant#now()}. */
  static MeshClock system() {
    return SystemClock.INSTANCE;
  }
}

package dev.meshwork.core;

import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The mesh's source of time. Everything time-dependent (balancer statistics, breakers, ejection,
 * budgets, back-off, health checks and certificate checks) reads it, and the mesh's background work
 * runs on its {@linkplain #newScheduler scheduler}, so tests drive time by hand instead of
 * sleeping.
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

  /**
   * Makes the scheduler a mesh runs its background work on (outlier sweeps, health checks, the
   * refreshes of discovery sources), with delays measured on this clock. The mesh calls it once,
   * when it is built, and shuts the scheduler down when it closes. By default one daemon thread
   * from {@code threads}, started on first use, on real time; a clock that tests move by hand
   * returns a scheduler that runs each task when the clock is moved past its time.
   */
  default ScheduledExecutorService newScheduler(ThreadFactory threads) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }

  /** The system clock: {@link System#nanoTime()} and {@link Instant#now()}. */
  static MeshClock system() {
    return SystemClock.INSTANCE;
  }
}

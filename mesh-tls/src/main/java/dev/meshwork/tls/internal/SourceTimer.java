package dev.meshwork.tls.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.MeshThreads;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one background task of a certificate source (a renewal timer, a file watch) and the scheduler
 * it runs on. The scheduler is either borrowed (the mesh's background scheduler, never shut down
 * here) or, when the source was built without one, owned: made by the source's clock, for the
 * system clock a single daemon thread named {@code meshwork-<purpose>-<n>}, so it never keeps the
 * JVM alive; stopped by {@link #close()}.
 *
 * <p>Scheduling replaces the pending task, so a source always has at most one. Thread-safe.
 */
public final class SourceTimer implements AutoCloseable {

  private final ScheduledExecutorService scheduler;
  private final boolean owned;
  private ScheduledFuture<?> task; // guarded by this
  private boolean closed; // guarded by this

  private SourceTimer(ScheduledExecutorService scheduler, boolean owned) {
    this.scheduler = scheduler;
    this.owned = owned;
  }

  /**
   * Runs tasks on {@code borrowed}, or, when {@code borrowed} is null, on a scheduler of its own
   * made by {@code clock} ({@link MeshClock#newScheduler}): a daemon thread on real time for the
   * system clock, the test's own scheduler for a clock moved by hand.
   */
  public static SourceTimer create(
      ScheduledExecutorService borrowed, String purpose, MeshClock clock) {
    return borrowed != null
        ? new SourceTimer(borrowed, false)
        : new SourceTimer(clock.newScheduler(MeshThreads.named("meshwork-" + purpose)), true);
  }

  /**
   * Runs {@code task} once after {@code delay} (at least 1 ms), replacing any pending task. Returns
   * false when the timer is closed or the scheduler refused (it was shut down).
   */
  public synchronized boolean once(Runnable task, Duration delay) {
    return replace(
        () -> scheduler.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS));
  }

  /**
   * Runs {@code task} every {@code period}, first after one period, replacing any pending task.
   * Returns false when the timer is closed or the scheduler refused.
   */
  public synchronized boolean every(Runnable task, Duration period) {
    long millis = Math.max(1, period.toMillis());
    return replace(
        () -> scheduler.scheduleWithFixedDelay(task, millis, millis, TimeUnit.MILLISECONDS));
  }

  /** True once {@link #close()} has been called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /** The scheduler tasks run on, for messages. */
  public ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Cancels the pending task and stops an owned thread. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    cancel();
    if (owned) {
      scheduler.shutdownNow();
    }
  }

  private boolean replace(Supplier<ScheduledFuture<?>> schedule) {
    if (closed) {
      return false;
    }
    cancel();
    try {
      task = schedule.get();
      return true;
    } catch (RejectedExecutionException e) {
      return false;
    }
  }

  private void cancel() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }
}

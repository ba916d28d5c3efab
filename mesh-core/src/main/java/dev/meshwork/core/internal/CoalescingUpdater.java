package dev.meshwork.core.internal;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the latest of a stream of values on an executor, one at a time. A value offered while an
 * earlier one is still being applied replaces any value still waiting, so a burst becomes one
 * application of its last value. The offering thread never waits for the application: a slow
 * consumer costs the producer (a discovery source, often on a shared thread) nothing.
 */
final class CoalescingUpdater<T> {
  private static final Logger log = LoggerFactory.getLogger(CoalescingUpdater.class);

  private final Executor executor;
  private final Consumer<T> apply;
  private final Object lock = new Object();
  private T pending;
  private long offered;
  private long applied;
  private boolean draining;

  CoalescingUpdater(Executor executor, Consumer<T> apply) {
    this.executor = executor;
    this.apply = apply;
  }

  /** Queues {@code value}, replacing one that has not started applying yet. */
  void offer(T value) {
    Objects.requireNonNull(value, "value");
    synchronized (lock) {
      pending = value;
      offered++;
      if (draining) {
        return;
      }
      draining = true;
    }
    try {
      executor.execute(this::drain);
    } catch (RejectedExecutionException closed) {
      // The mesh is closing; nobody will read the value.
      synchronized (lock) {
        draining = false;
        lock.notifyAll();
      }
    }
  }

  /**
   * Waits until every value offered before this call has been applied or replaced by a later one
   * that was applied. Returns false when {@code timeoutNanos} passed first.
   */
  boolean awaitApplied(long timeoutNanos) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutNanos;
    synchronized (lock) {
      long target = offered;
      while (applied < target && draining) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(lock, left);
      }
      return applied >= target;
    }
  }

  private void drain() {
    while (true) {
      T next;
      long sequence;
      synchronized (lock) {
        if (pending == null) {
          draining = false;
          lock.notifyAll();
          return;
        }
        next = pending;
        sequence = offered;
        pending = null;
      }
      try {
        apply.accept(next);
      } catch (RuntimeException e) {
        // The consumer reports its own failures; this only keeps the drain loop alive.
        log.error("applying an update failed", e);
      }
      synchronized (lock) {
        applied = sequence;
        lock.notifyAll();
      }
    }
  }
}

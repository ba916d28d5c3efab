package dev.meshwork.test.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A task of a {@link VirtualScheduler}: due at a point of virtual time, once or periodically. A
 * periodic task that throws is not run again, as with {@link
 * java.util.concurrent.ScheduledThreadPoolExecutor}.
 */
final class VirtualTask<V> implements RunnableScheduledFuture<V> {
  private static final Logger log = LoggerFactory.getLogger(VirtualTask.class);

  private final VirtualScheduler owner;
  private final Callable<V> body;

  /** 0: once; positive: at a fixed rate; negative: with a fixed delay after each run. */
  private final long period;

  private final CompletableFuture<V> result = new CompletableFuture<>();
  private volatile long due;
  private volatile long order;

  VirtualTask(VirtualScheduler owner, Callable<V> body, long period) {
    this.owner = owner;
    this.body = body;
    this.period = period;
  }

  void due(long due, long order) {
    this.due = due;
    this.order = order;
  }

  long due() {
    return due;
  }

  /** Runs the task unless cancelled; queues its next run. False when it did not run. */
  boolean runAndReschedule() {
    if (result.isDone()) {
      return false;
    }
    try {
      V value = body.call();
      if (period == 0) {
        result.complete(value);
      }
    } catch (Exception | Error e) {
      log.warn("a task on virtual time failed and will not run again: {}", body, e);
      result.completeExceptionally(e);
      owner.finished(this);
      return true;
    }
    if (period == 0) {
      owner.finished(this);
    } else if (!result.isDone()) {
      owner.reschedule(this, period > 0 ? due + period - owner.nanoTime() : -period);
    }
    return true;
  }

  @Override
  public void run() {
    runAndReschedule();
  }

  @Override
  public boolean isPeriodic() {
    return period != 0;
  }

  @Override
  public long getDelay(TimeUnit unit) {
    return unit.convert(due - owner.nanoTime(), TimeUnit.NANOSECONDS);
  }

  @Override
  public int compareTo(Delayed other) {
    if (other instanceof VirtualTask<?> task) {
      int byDue = Long.compare(due, task.due);
      return byDue != 0 ? byDue : Long.compare(order, task.order);
    }
    return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = result.cancel(false);
    if (cancelled) {
      owner.finished(this);
    }
    return cancelled;
  }

  @Override
  public boolean isCancelled() {
    return result.isCancelled();
  }

  @Override
  public boolean isDone() {
    return result.isDone();
  }

  /** Waits for the task; on virtual time it ends only when someone moves the clock past it. */
  @Override
  public V get() throws InterruptedException, ExecutionException {
    return result.get();
  }

  @Override
  public V get(long timeout, TimeUnit unit)
      throws InterruptedException, ExecutionException, TimeoutException {
    return result.get(timeout, unit);
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "virtual task " + body + " due at +" + due + " ns";
  }
}

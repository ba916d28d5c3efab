package dev.meshwork.test.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ScheduledExecutorService} on a {@link Timeline}: its tasks run when virtual time is
 * moved past them, on the thread that moves it, never on a thread of its own. Each mesh or
 * certificate source gets its own scheduler over the one timeline, so shutting one down cancels
 * only its own tasks. A task submitted without delay runs at the next move of time, even a move by
 * zero.
 */
public final class VirtualScheduler extends AbstractExecutorService
    implements ScheduledExecutorService {
  private final Timeline timeline;
  private final String name;
  private final Set<VirtualTask<?>> tasks = ConcurrentHashMap.newKeySet();
  private volatile boolean shutdown;

  public VirtualScheduler(Timeline timeline, String name) {
    this.timeline = timeline;
    this.name = name;
  }

  long nanoTime() {
    return timeline.nanoTime();
  }

  private <V> VirtualTask<V> add(Callable<V> body, long delayNanos, long period) {
    Objects.requireNonNull(body, "task");
    if (shutdown) {
      throw new RejectedExecutionException(this + " is shut down");
    }
    VirtualTask<V> task = new VirtualTask<>(this, body, period);
    tasks.add(task);
    timeline.add(task, delayNanos);
    return task;
  }

  void reschedule(VirtualTask<?> task, long delayNanos) {
    if (shutdown) {
      task.cancel(false);
      return;
    }
    timeline.add(task, delayNanos);
  }

  void finished(VirtualTask<?> task) {
    tasks.remove(task);
    timeline.remove(task);
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(Executors.callable(command), unit.toNanos(delay), 0);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(callable, unit.toNanos(delay), 0);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    requirePositive(period);
    return add(Executors.callable(command), unit.toNanos(initialDelay), unit.toNanos(period));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    requirePositive(delay);
    return add(Executors.callable(command), unit.toNanos(initialDelay), -unit.toNanos(delay));
  }

  private static void requirePositive(long period) {
    if (period <= 0) {
      throw new IllegalArgumentException("period " + period + ": a periodic task needs one > 0");
    }
  }

  @Override
  public void execute(Runnable command) {
    ScheduledFuture<?> unused = schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public void shutdown() {
    shutdownNow();
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> pending = new ArrayList<>();
    for (VirtualTask<?> task : List.copyOf(tasks)) {
      task.cancel(false);
      pending.add(task);
    }
    return pending;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }

  @Override
  public String toString() {
    return "virtual scheduler '" + name + "' on " + timeline;
  }
}

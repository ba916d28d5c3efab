package dev.meshwork.tls;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scheduler driven by a {@link ManualClock}: nothing runs until the test calls {@link #advance},
 * which moves the clock from one due task to the next and runs each on the calling thread, so
 * renewals and file polls are tested without threads or sleeping.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
  private final ManualClock clock;
  private final PriorityQueue<Task<?>> queue =
      new PriorityQueue<>(
          Comparator.comparingLong((Task<?> t) -> t.due).thenComparingLong(t -> t.order));
  private final AtomicLong order = new AtomicLong();
  private boolean shutdown;

  ManualScheduler(ManualClock clock) {
    this.clock = clock;
  }

  /** Moves the clock forward by {@code duration}, running every task that comes due on the way. */
  void advance(Duration duration) {
    long target = clock.nanoTime() + duration.toNanos();
    while (true) {
      Task<?> next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.due > target) {
          break;
        }
        queue.poll();
      }
      if (next.due > clock.nanoTime()) {
        clock.advance(Duration.ofNanos(next.due - clock.nanoTime()));
      }
      next.runOnce();
    }
    clock.advance(Duration.ofNanos(target - clock.nanoTime()));
  }

  /** The tasks waiting to run (cancelled ones are removed). */
  synchronized int pending() {
    queue.removeIf(Task::isCancelled);
    return queue.size();
  }

  /** How long until the next pending task is due. */
  synchronized Duration nextDelay() {
    queue.removeIf(Task::isCancelled);
    Task<?> next = queue.peek();
    return next == null ? null : Duration.ofNanos(next.due - clock.nanoTime());
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, unit.toNanos(delay), 0));
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
    return add(new Task<>(null, callable, unit.toNanos(delay), 0));
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable command, long initialDelay, long period, TimeUnit unit) {
    return add(new Task<>(command, null, unit.toNanos(initialDelay), unit.toNanos(period)));
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return add(new Task<>(command, null, unit.toNanos(initialDelay), unit.toNanos(delay)));
  }

  @Override
  public void execute(Runnable command) {
    schedule(command, 0, TimeUnit.NANOSECONDS);
  }

  @Override
  public synchronized void shutdown() {
    shutdown = true;
  }

  @Override
  public synchronized List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>(queue);
    queue.clear();
    return left;
  }

  @Override
  public synchronized boolean isShutdown() {
    return shutdown;
  }

  @Override
  public synchronized boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return isShutdown();
  }

  private synchronized <V> Task<V> add(Task<V> task) {
    if (shutdown) {
      throw new java.util.concurrent.RejectedExecutionException("manual scheduler is shut down");
    }
    queue.add(task);
    return task;
  }

  private final class Task<V> extends FutureTask<V> implements ScheduledFuture<V>, Runnable {
    private final long period;
    private final long order = ManualScheduler.this.order.incrementAndGet();
    private long due;

    Task(Runnable runnable, Callable<V> callable, long delay, long period) {
      super(
          callable != null
              ? callable
              : () -> {
                runnable.run();
                return null;
              });
      this.due = clock.nanoTime() + Math.max(0, delay);
      this.period = period;
    }

    void runOnce() {
      if (isCancelled()) {
        return;
      }
      if (period == 0) {
        run();
        if (!isCancelled()) {
          try {
            get();
          } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("a scheduled task threw", e);
          }
        }
        return;
      }
      if (runAndReset()) {
        synchronized (ManualScheduler.this) {
          due = clock.nanoTime() + period;
          if (!shutdown) {
            queue.add(this);
          }
        }
      } else if (!isCancelled()) {
        try {
          get();
        } catch (InterruptedException | ExecutionException e) {
          throw new AssertionError("a periodic task threw, which cancels it for good", e);
        }
      }
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(due - clock.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }
  }
}

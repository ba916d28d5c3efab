package dev.meshwork.test.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Virtual time and the tasks waiting on it. Time moves only when asked: {@link #advanceTo} steps
 * from one due task to the next, runs each on the calling thread at its own time, then stops at the
 * target, so a test that moves time by a minute sees every sweep, probe round and renewal of that
 * minute in order, and nothing runs behind its back.
 *
 * <p>One thread runs tasks at a time; {@link #advanceTo} waits for it. {@link #passTo}, for time a
 * fake endpoint's answer takes, only moves the time and runs nothing: it may run on a server thread
 * inside a task (a health-check probe), where running tasks could wait on itself. Tasks it passed
 * run, late, at the next {@link #advanceTo}.
 */
public final class Timeline {
  /** More tasks than this in one move means a task reschedules itself without delay. */
  private static final int MAX_TASKS_PER_MOVE = 1_000_000;

  private final Instant start;
  private final PriorityQueue<VirtualTask<?>> queue = new PriorityQueue<>();
  private final ReentrantLock runner = new ReentrantLock();
  private long nanos; // guarded by this
  private long order; // guarded by this
  private volatile Runnable afterTask = () -> {};

  public Timeline(Instant start) {
    this.start = start;
  }

  public synchronized long nanoTime() {
    return nanos;
  }

  public synchronized Instant now() {
    return start.plusNanos(nanos);
  }

  /** Runs after each task, on the thread that ran it: waits for the work the task started. */
  public void afterEachTask(Runnable settle) {
    this.afterTask = settle;
  }

  /** Moves time to {@code target} (never back), running every task due until then, in order. */
  public void advanceTo(long target) {
    runner.lock();
    try {
      runDue(target);
    } finally {
      runner.unlock();
    }
  }

  /** Moves time to {@code target} (never back) without running anything. */
  public synchronized void passTo(long target) {
    nanos = Math.max(nanos, target);
  }

  private void runDue(long target) {
    for (int ran = 0; ; ran++) {
      VirtualTask<?> next;
      synchronized (this) {
        next = queue.peek();
        // Only up to the target: time an answer passed meanwhile must not run round after round.
        if (next == null || next.due() - target > 0) {
          nanos = Math.max(nanos, target);
          return;
        }
        queue.poll();
        nanos = Math.max(nanos, next.due());
      }
      if (ran > MAX_TASKS_PER_MOVE) {
        throw new IllegalStateException(
            "more than " + MAX_TASKS_PER_MOVE + " tasks in one move of virtual time: " + next);
      }
      if (next.runAndReschedule()) {
        afterTask.run();
      }
    }
  }

  /** Queues {@code task}, due {@code delayNanos} from now (at once when not positive). */
  synchronized void add(VirtualTask<?> task, long delayNanos) {
    task.due(nanos + Math.max(0, delayNanos), order++);
    queue.add(task);
  }

  synchronized void remove(VirtualTask<?> task) {
    queue.remove(task);
  }

  /** How many tasks wait, cancelled ones excluded. */
  public synchronized int pending() {
    queue.removeIf(VirtualTask::isCancelled);
    return queue.size();
  }

  @Override
  public String toString() {
    long at;
    synchronized (this) {
      at = nanos;
    }
    return "virtual time +" + Duration.ofNanos(at) + " (" + start.plusNanos(at) + ")";
  }
}

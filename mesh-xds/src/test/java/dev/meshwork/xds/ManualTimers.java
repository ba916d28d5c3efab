package dev.meshwork.xds;

import dev.meshwork.xds.internal.AdsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Timers the test runs by hand: each scheduled task waits until {@link #run} hands it to the xDS
 * client's serial executor, so back-off and does-not-exist timeouts take no real time.
 */
final class ManualTimers implements AdsClient.Timers {
  /** A scheduled task. */
  static final class Task {
    final Duration delay;
    final Runnable task;
    volatile boolean cancelled;
    volatile boolean ran;

    Task(Duration delay, Runnable task) {
      this.delay = delay;
      this.task = task;
    }
  }

  private final List<Task> tasks = new ArrayList<>();
  private volatile Executor serial;

  void executor(Executor serial) {
    this.serial = serial;
  }

  @Override
  public synchronized Runnable schedule(Runnable task, Duration delay) {
    Task scheduled = new Task(delay, task);
    tasks.add(scheduled);
    return () -> scheduled.cancelled = true;
  }

  /** The first pending task whose delay is under {@code bound}. */
  synchronized Optional<Task> pending(Duration bound) {
    return tasks.stream()
        .filter(t -> !t.cancelled && !t.ran && t.delay.compareTo(bound) < 0)
        .findFirst();
  }

  /** Runs {@code task} on the client's serial executor. */
  void run(Task task) {
    task.ran = true;
    serial.execute(
        () -> {
          if (!task.cancelled) {
            task.task.run();
          }
        });
  }
}

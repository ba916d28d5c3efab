package dev.meshwork.okhttp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Concurrent callers make calls without pause; when {@code killAfter} calls have completed, a
 * backend is stopped on another thread while the callers keep going, and the run ends once {@code
 * afterKill} calls have started after the stop returned. Triggered by a counter, not by time.
 */
final class KillDuringRun {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /**
   * What the run saw.
   *
   * @param completed calls made in all
   * @param afterKill calls started after the backend was stopped
   * @param failures the description of each failed call
   */
  record Result(int completed, int afterKill, List<String> failures) {}

  private KillDuringRun() {}

  /**
   * @param call makes call number {@code n} and returns {@code null} on success, else what went
   *     wrong
   */
  static Result run(
      int callers, int killAfter, int afterKill, Runnable kill, IntFunction<String> call)
      throws Exception {
    AtomicInteger started = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    AtomicInteger startedAfterKill = new AtomicInteger();
    Queue<String> failures = new ConcurrentLinkedQueue<>();
    ExecutorService killer = Executors.newSingleThreadExecutor();
    List<Future<?>> stopped = new ArrayList<>(1);
    ExecutorService pool = Executors.newFixedThreadPool(callers);
    Callable<Void> caller =
        () -> {
          long deadline = System.nanoTime() + LIMIT.toNanos();
          while (startedAfterKill.get() < afterKill && System.nanoTime() - deadline < 0) {
            boolean afterStop;
            synchronized (stopped) {
              afterStop = !stopped.isEmpty() && stopped.get(0).isDone();
            }
            String failure;
            try {
              failure = call.apply(started.getAndIncrement());
            } catch (RuntimeException e) {
              failure = e.toString();
            }
            if (failure != null) {
              failures.add(failure);
            }
            if (completed.incrementAndGet() == killAfter) {
              synchronized (stopped) {
                stopped.add(killer.submit(kill));
              }
            }
            if (afterStop) {
              startedAfterKill.incrementAndGet();
            }
          }
          return null;
        };
    try {
      List<Future<Void>> running = new ArrayList<>();
      for (int c = 0; c < callers; c++) {
        running.add(pool.submit(caller));
      }
      for (Future<Void> future : running) {
        future.get();
      }
      synchronized (stopped) {
        stopped.get(0).get(); // the kill itself must not have failed
      }
    } finally {
      pool.shutdownNow();
      killer.shutdown();
    }
    if (startedAfterKill.get() < afterKill) {
      throw new AssertionError(
          "only " + startedAfterKill.get() + " calls started after the kill within " + LIMIT);
    }
    return new Result(completed.get(), startedAfterKill.get(), List.copyOf(failures));
  }
}

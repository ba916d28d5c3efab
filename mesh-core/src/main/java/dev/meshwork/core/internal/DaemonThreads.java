package dev.meshwork.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mesh-owned pool of daemon threads named {@code <prefix>-N}: created when a task needs one,
 * dropped after being idle for the keep-alive, so a mesh that never uses the pool owns no thread
 * and never keeps the JVM alive. The mesh uses one for discovery updates (a service whose update
 * is slow, such as a large Maglev table, occupies its own thread and never delays another) and
 * one for hedged attempts.
 */
public final class DaemonThreads implements Executor, AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  public DaemonThreads(String prefix, Duration keepAlive) {
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive.toMillis(), TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(), runnable -> {
          Thread thread = new Thread(runnable, prefix + "-" + THREADS.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /** @throws java.util.concurrent.RejectedExecutionException once the pool is closed */
  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package dev.meshwork.core.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A mesh-owned pool of daemon threads named {@code <prefix>-N}: created when a task needs one,
 * dropped after being idle for the keep-alive, so a mesh that never uses the pool owns no thread
 * and never keeps the JVM alive. The mesh uses one for discovery updates (a service whose update
 * is slow, such as a large Maglev table, occupies its own thread and never delays another) and
 * one for hedged attempts, and a bounded one serves the admin endpoint.
 */
public final class DaemonThreads implements Executor, AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ThreadPoolExecutor executor;

  public DaemonThreads(String prefix, Duration keepAlive) {
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, keepAlive.toMillis(), TimeUnit.MILLISECONDS,
        new SynchronousQueue<>(), factory(prefix));
  }

  /** At most {@code maxThreads} threads; further tasks wait in an unbounded queue. */
  public DaemonThreads(String prefix, Duration keepAlive, int maxThreads) {
    this.executor = new ThreadPoolExecutor(maxThreads, maxThreads, keepAlive.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), factory(prefix));
    executor.allowCoreThreadTimeOut(true);
  }

  private static ThreadFactory factory(String prefix) {
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
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

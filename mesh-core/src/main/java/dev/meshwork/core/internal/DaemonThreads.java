package dev.meshwork.core.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A mesh-owned pool of daemon threads named {@code <prefix>-N} (made by {@link MeshThreads}):
 * created when a task needs one, dropped after being idle for the keep-alive, so a mesh that never
 * uses the pool owns no thread and never keeps the JVM alive. The mesh uses one for discovery
 * updates (a service whose update is slow, such as a large Maglev table, occupies its own thread
 * and never delays another) and one for hedged attempts, and a bounded one serves the admin
 * endpoint.
 */
public final class DaemonThreads implements Executor, AutoCloseable {
  private final ThreadPoolExecutor executor;

  public DaemonThreads(String prefix, Duration keepAlive) {
    this.executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new SynchronousQueue<>(),
            factory(prefix));
  }

  /** At most {@code maxThreads} threads; further tasks wait in an unbounded queue. */
  public DaemonThreads(String prefix, Duration keepAlive, int maxThreads) {
    this.executor =
        new ThreadPoolExecutor(
            maxThreads,
            maxThreads,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            factory(prefix));
    executor.allowCoreThreadTimeOut(true);
  }

  private static ThreadFactory factory(String prefix) {
    return MeshThreads.named(prefix);
  }

  /**
   * @throws java.util.concurrent.RejectedExecutionException once the pool is closed
   */
  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

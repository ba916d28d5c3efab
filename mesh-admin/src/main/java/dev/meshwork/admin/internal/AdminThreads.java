package dev.meshwork.admin.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * At most a fixed number of daemon threads named {@code <prefix>-N}, dropped when idle, so an admin
 * endpoint nobody calls owns no thread and never keeps the JVM alive.
 */
final class AdminThreads implements Executor, AutoCloseable {
  private final ThreadPoolExecutor executor;

  AdminThreads(String prefix, Duration keepAlive, int maxThreads) {
    this.executor =
        new ThreadPoolExecutor(
            maxThreads,
            maxThreads,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            MeshThreads.named(prefix));
    executor.allowCoreThreadTimeOut(true);
  }

  /**
   * @throws java.util.concurrent.RejectedExecutionException once closed
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

package dev.meshwork.core.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The mesh's background thread: discovery refreshes, health checks and certificate renewal run
 * here. One daemon thread, started on first use, so a mesh that needs no background work costs
 * no thread and never keeps the JVM alive.
 */
public final class BackgroundScheduler implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ScheduledThreadPoolExecutor executor;

  public BackgroundScheduler() {
    ThreadFactory threads = runnable -> {
      Thread thread = new Thread(runnable, "meshwork-background-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    executor = new ScheduledThreadPoolExecutor(1, threads);
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

package dev.meshwork.core.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The mesh's background thread: discovery refreshes, health checks and certificate renewal run
 * here. One daemon thread, started on first use, so a mesh that needs no background work costs no
 * thread and never keeps the JVM alive.
 */
public final class BackgroundScheduler implements AutoCloseable {
  private final ScheduledThreadPoolExecutor executor;

  public BackgroundScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, MeshThreads.named("meshwork-background"));
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

package dev.meshwork.tls.internal;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single daemon thread a certificate source starts for itself when it is built without the
 * mesh's scheduler (for example before the mesh exists, or in a tool). Daemon, so it never keeps
 * the JVM alive; the source shuts it down when closed.
 */
public final class OwnScheduler {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private OwnScheduler() {}

  /** A one-thread scheduler whose thread is named {@code meshwork-<purpose>-<n>}. */
  public static ScheduledExecutorService create(String purpose) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "meshwork-" + purpose + "-" + THREADS.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return executor;
  }
}

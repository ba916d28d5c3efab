package dev.meshwork.core.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.MeshThreads;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The mesh's background scheduler: outlier sweeps, health checks and discovery refreshes run here.
 * Made by the mesh clock ({@link MeshClock#newScheduler}), so its delays pass on the clock the rest
 * of the mesh reads: one daemon thread on real time, started on first use, for the system clock; a
 * test clock's own scheduler when time is moved by hand.
 */
public final class BackgroundScheduler implements AutoCloseable {
  private final ScheduledExecutorService executor;

  public BackgroundScheduler(MeshClock clock) {
    executor = clock.newScheduler(MeshThreads.named("meshwork-background"));
  }

  public ScheduledExecutorService executor() {
    return executor;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

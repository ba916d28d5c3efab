package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * A {@link ManualClock} whose scheduler ({@link MeshClock#newScheduler}) is a {@link
 * ManualScheduler}: what a source schedules on its own runs when the test advances the scheduler.
 */
final class SchedulingClock implements MeshClock {
  final ManualClock clock;
  final ManualScheduler scheduler;

  SchedulingClock(Instant start) {
    this.clock = new ManualClock(start);
    this.scheduler = new ManualScheduler(clock);
  }

  @Override
  public long nanoTime() {
    return clock.nanoTime();
  }

  @Override
  public Instant now() {
    return clock.now();
  }

  @Override
  public ScheduledExecutorService newScheduler(ThreadFactory threads) {
    return scheduler;
  }
}

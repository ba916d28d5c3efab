package dev.meshwork.admin;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.time.Instant;

/** A clock tests move by hand. */
public final class ManualClock implements MeshClock {
  private long nanos;
  private Instant wall = Instant.parse("2026-01-01T00:00:00Z");

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return wall;
  }

  /** Sleeping on a manual clock moves it forward, so back-off takes no real time. */
  @Override
  public void sleep(long nanos) {
    if (nanos > 0) {
      advance(Duration.ofNanos(nanos));
    }
  }

  public synchronized void advance(Duration duration) {
    nanos += duration.toNanos();
    wall = wall.plus(duration);
  }
}

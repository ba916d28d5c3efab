package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.time.Instant;

/** A clock tests move by hand, so certificate validity is tested without sleeping. */
final class ManualClock implements MeshClock {
  private Instant now;
  private long nanos;

  ManualClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  synchronized void advance(Duration duration) {
    now = now.plus(duration);
    nanos += duration.toNanos();
  }

  @Override
  public String toString() {
    return "manual(" + now() + ")";
  }
}

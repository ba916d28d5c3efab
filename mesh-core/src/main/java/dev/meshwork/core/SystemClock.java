package dev.meshwork.core;

import java.time.Instant;

/** {@link MeshClock#system()}; package-private because users reach it through that method. */
enum SystemClock implements MeshClock {
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public String toString() {
    return "system";
  }
}

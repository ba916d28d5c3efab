package dev.meshwork.test.internal;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition the kit cannot be told about, polling it within a real-time bound. */
public final class Await {
  private Await() {}

  /**
   * Returns once {@code condition} holds; throws {@link IllegalStateException} saying {@code what}
   * after {@code bound}.
   */
  public static void until(BooleanSupplier condition, Duration bound, Supplier<String> what) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("not within " + bound.toMillis() + " ms: " + what.get());
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200)); // polling, not timing
    }
  }
}

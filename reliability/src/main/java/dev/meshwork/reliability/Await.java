package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting on a condition, polled every 10 ms, with a bound. */
final class Await {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Await() {}

  /**
   * Returns how long {@code condition} took to hold, by {@code clock}.
   *
   * @throws IllegalStateException naming {@code what} when it did not hold within {@code bound}
   */
  static Duration until(
      MeshClock clock, Duration bound, BooleanSupplier condition, Supplier<String> what)
      throws InterruptedException {
    long start = clock.nanoTime();
    while (!condition.getAsBoolean()) {
      if (clock.nanoTime() - start > bound.toNanos()) {
        throw new IllegalStateException("not within " + bound.toMillis() + " ms: " + what.get());
      }
      TimeUnit.NANOSECONDS.sleep(POLL_NANOS); // polling a condition, not synchronizing on time
    }
    return Duration.ofNanos(clock.nanoTime() - start);
  }
}

package dev.meshwork.discovery.kubernetes;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it every millisecond; never a fixed sleep. */
final class Eventually {
  private Eventually() {}

  static void await(BooleanSupplier condition, Supplier<String> whatWasExpected) {
    Duration timeout = Duration.ofSeconds(30);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + whatWasExpected.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }
}

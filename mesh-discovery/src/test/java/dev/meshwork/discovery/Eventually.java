package dev.meshwork.discovery;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline, checking it every millisecond; never a fixed sleep. */
final class Eventually {
  private Eventually() {}

  static void await(Duration timeout, BooleanSupplier condition, Supplier<String> whatWasExpected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout + ": " + whatWasExpected.get());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  static void await(BooleanSupplier condition, Supplier<String> whatWasExpected) {
    await(Duration.ofSeconds(20), condition, whatWasExpected);
  }

  /**
   * Waits until the service's discovery is failing with an error that contains {@code
   * expectedPart}.
   */
  static void awaitDiscoveryError(Mesh mesh, String service, String expectedPart) {
    await(
        () -> {
          DiscoveryHealth health = mesh.discoveryHealth(service);
          return health.status() == DiscoveryHealth.Status.FAILING
              && health.lastError().isPresent()
              && health.lastError().get().contains(expectedPart);
        },
        () ->
            "an error containing '" + expectedPart + "', health " + mesh.discoveryHealth(service));
  }
}

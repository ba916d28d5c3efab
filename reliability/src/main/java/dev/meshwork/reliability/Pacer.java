package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Offers calls at a fixed rate: a task on a scheduler, run at a fixed rate every {@link #TICK},
 * offers the calls that have come due by the clock since the start, so a late tick catches up and
 * the offered rate holds. Bounded in count (rate times length) and in time (the wait for the last
 * tick).
 */
public final class Pacer {
  /** How often the pacing task runs; each run offers the calls due by then. */
  static final Duration TICK = Duration.ofMillis(2);

  private Pacer() {}

  /**
   * Calls {@code offer} with 0, 1, 2, ... at {@code perSecond} for {@code length}, and returns how
   * many were offered. {@code offer} must not block: it starts an asynchronous call.
   *
   * @throws IllegalStateException when the pacing task did not finish within its bound
   */
  public static long run(
      ScheduledExecutorService scheduler,
      MeshClock clock,
      double perSecond,
      Duration length,
      LongConsumer offer)
      throws InterruptedException {
    long total = total(perSecond, length);
    long start = clock.nanoTime();
    AtomicLong offered = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    ScheduledFuture<?> ticks =
        scheduler.scheduleAtFixedRate(
            () -> {
              long due = due(clock.nanoTime() - start, perSecond, total);
              while (offered.get() < due) {
                offer.accept(offered.getAndIncrement());
              }
              if (offered.get() == total) {
                done.countDown(); // later ticks find nothing due until run() cancels them
              }
            },
            0,
            TICK.toNanos(),
            TimeUnit.NANOSECONDS);
    boolean finished = done.await(length.toMillis() + 60_000, TimeUnit.MILLISECONDS);
    ticks.cancel(false);
    if (!finished) {
      throw new IllegalStateException(
          "pacing offered "
              + offered.get()
              + " of "
              + total
              + " calls within "
              + length
              + " + 60 s");
    }
    return total;
  }

  /** The calls a run of {@code length} at {@code perSecond} offers. */
  static long total(double perSecond, Duration length) {
    return Math.round(perSecond * length.toNanos() / 1e9);
  }

  /** How many calls are due {@code elapsedNanos} into the run. */
  static long due(long elapsedNanos, double perSecond, long total) {
    long due = (long) Math.floor(elapsedNanos / 1e9 * perSecond) + 1;
    return Math.max(0, Math.min(total, due));
  }
}

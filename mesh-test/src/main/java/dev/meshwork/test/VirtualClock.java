package dev.meshwork.test;

import dev.meshwork.core.MeshClock;
import dev.meshwork.test.internal.Timeline;
import dev.meshwork.test.internal.VirtualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * Time that moves only when a test moves it. Given to a mesh ({@link TestMesh} does), it drives
 * everything the mesh times: back-off, retry budget windows, breaker windows, outlier ejection and
 * its end, slow start, health checks, and the renewal of certificates issued by a CA on this clock
 * ({@link TestMesh#ca()}). A test of "ejected for 30 s, then back" takes milliseconds:
 *
 * <pre>{@code
 * VirtualClock time = VirtualClock.startingAt(Instant.parse("2030-01-01T00:00:00Z"));
 * time.advance(Duration.ofSeconds(30));   // runs every sweep, probe round and renewal on the way
 * }</pre>
 *
 * <p>How waiting works on it, deterministically:
 *
 * <ul>
 *   <li>{@link #advance} moves from one due task to the next, running each on the calling thread at
 *       its own time (a sweep due at +10 s sees +10 s), then stops at the target. Work a task
 *       starts, such as health-check probes, is waited for before the next task runs.
 *   <li>A call that backs off before a retry ({@link #sleep}) moves time forward by its back-off,
 *       running what comes due on the way, and goes on at once: no call ever waits for the test to
 *       move time, and a test that makes its calls one at a time sees the same decisions every run.
 *   <li>A fake endpoint's {@link FaultScript#delay} moves time while it answers and runs nothing;
 *       what came due meanwhile runs, late, at the next move.
 *   <li>Background work due "now" (the first health-check round, a discovery source's first lookup)
 *       runs at the next move of time, even {@code advance(Duration.ZERO)}; {@link TestMesh#start}
 *       makes one.
 *   <li>What the transport enforces (connect, read and per-try timeouts) and the delay before a
 *       hedged backup attempt stay on real time; {@link FaultScript#hold} is how an endpoint makes
 *       a timeout fire.
 * </ul>
 *
 * <p>Thread-safe. One thread runs tasks at a time; calls that back off at once from several threads
 * each move time to the end of their own back-off.
 */
public final class VirtualClock implements MeshClock {
  private final Timeline timeline;
  private final VirtualScheduler shared;

  private VirtualClock(Instant start) {
    this.timeline = new Timeline(start);
    this.shared = new VirtualScheduler(timeline, "shared");
  }

  /** A clock whose {@link #now()} starts at {@code start} and whose nano time starts at 0. */
  public static VirtualClock startingAt(Instant start) {
    return new VirtualClock(Objects.requireNonNull(start, "start"));
  }

  /**
   * A clock starting at the current wall time, to the second, so certificates made elsewhere on
   * real time are valid on it too.
   */
  public static VirtualClock startingNow() {
    return startingAt(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  @Override
  public long nanoTime() {
    return timeline.nanoTime();
  }

  @Override
  public Instant now() {
    return timeline.now();
  }

  /** How much time has passed on this clock since it started. */
  public Duration elapsed() {
    return Duration.ofNanos(timeline.nanoTime());
  }

  /**
   * Moves time forward by {@code duration}, running every task that comes due on the way, each at
   * its own time and on this thread. Zero runs what is due now.
   *
   * @throws IllegalArgumentException when {@code duration} is negative: time never goes back
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "advance " + duration + ": virtual time only moves forward (zero or more)");
    }
    timeline.advanceTo(timeline.nanoTime() + duration.toNanos());
  }

  /** Backs off by moving time forward by {@code nanos}; see the class description. */
  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted before a virtual sleep of " + nanos + " ns");
    }
    if (nanos > 0) {
      timeline.advanceTo(timeline.nanoTime() + nanos);
    }
  }

  /** A scheduler on this clock for the mesh's background work; the mesh shuts it down. */
  @Override
  public ScheduledExecutorService newScheduler(ThreadFactory threads) {
    return new VirtualScheduler(timeline, "mesh");
  }

  /**
   * A scheduler on this clock for work of your own (a certificate source's renewal, a discovery
   * source's refresh): its tasks run when time is moved past them. Shared; shut down with the
   * clock's {@link TestMesh}.
   */
  public ScheduledExecutorService scheduler() {
    return shared;
  }

  /** Moves time forward by {@code duration} without running anything (a fake's answer). */
  void pass(Duration duration) {
    timeline.passTo(timeline.nanoTime() + duration.toNanos());
  }

  /** Runs {@code settle} after each task: it waits for the work the task started. */
  void afterEachTask(Runnable settle) {
    timeline.afterEachTask(settle);
  }

  /** Cancels the tasks of the shared scheduler. */
  void shutdown() {
    shared.shutdownNow();
  }

  @Override
  public String toString() {
    return timeline.toString();
  }
}

package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Virtual time moves only when asked, and runs what comes due on the way, in order. */
class VirtualClockTest {
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  private final VirtualClock clock = VirtualClock.startingAt(START);
  private final List<String> ran = new CopyOnWriteArrayList<>();

  private Runnable note(String what) {
    return () -> ran.add(what + "@" + clock.elapsed().toMillis());
  }

  @Test
  void advancingRunsEachDueTaskAtItsOwnTimeInOrder() {
    ScheduledExecutorService scheduler = clock.newScheduler(Thread::new);
    ScheduledFuture<?> unused1 = scheduler.schedule(note("once"), 250, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> unused2 =
        scheduler.scheduleWithFixedDelay(note("every100"), 100, 100, TimeUnit.MILLISECONDS);
    ScheduledFuture<?> unused3 =
        scheduler.scheduleAtFixedRate(note("rate300"), 0, 300, TimeUnit.MILLISECONDS);

    assertEquals(List.of(), ran, "nothing runs until time moves");
    clock.advance(Duration.ZERO);
    assertEquals(List.of("rate300@0"), ran, "what is due now runs at a move by zero");
    clock.advance(Duration.ofMillis(350));
    assertEquals(
        List.of(
            "rate300@0", "every100@100", "every100@200", "once@250", "rate300@300", "every100@300"),
        ran,
        "tasks due at once run in the order they were scheduled");
    assertEquals(Duration.ofMillis(350), clock.elapsed());
    assertEquals(START.plusMillis(350), clock.now());
  }

  @Test
  void aShutDownSchedulerCancelsItsTasksOnly() {
    ScheduledExecutorService mesh = clock.newScheduler(Thread::new);
    ScheduledFuture<?> unused4 = mesh.scheduleWithFixedDelay(note("mesh"), 1, 1, TimeUnit.SECONDS);
    ScheduledFuture<?> own = clock.scheduler().schedule(note("own"), 2, TimeUnit.SECONDS);
    mesh.shutdownNow();
    assertThrows(
        RejectedExecutionException.class, () -> mesh.schedule(note("late"), 1, TimeUnit.SECONDS));
    clock.advance(Duration.ofSeconds(3));
    assertEquals(List.of("own@2000"), ran);
    assertTrue(own.isDone());
  }

  @Test
  void aBackOffMovesTimeForwardAndRunsWhatComesDue() throws InterruptedException {
    ScheduledFuture<?> unused5 =
        clock.newScheduler(Thread::new).schedule(note("sweep"), 20, TimeUnit.MILLISECONDS);
    clock.sleep(TimeUnit.MILLISECONDS.toNanos(25));
    assertEquals(List.of("sweep@20"), ran);
    assertEquals(Duration.ofMillis(25), clock.elapsed());
  }

  @Test
  void timeNeverGoesBack() {
    IllegalArgumentException back =
        assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
    assertEquals(
        "advance PT-1S: virtual time only moves forward (zero or more)", back.getMessage());
  }

  @Test
  void aTaskThatThrowsIsNotRunAgainAndOthersGoOn() {
    ScheduledExecutorService scheduler = clock.newScheduler(Thread::new);
    ScheduledFuture<?> unused6 =
        scheduler.scheduleWithFixedDelay(
            () -> {
              ran.add("boom@" + clock.elapsed().toMillis());
              throw new IllegalStateException("boom");
            },
            1,
            1,
            TimeUnit.SECONDS);
    ScheduledFuture<?> unused7 = scheduler.schedule(note("after"), 2, TimeUnit.SECONDS);
    clock.advance(Duration.ofSeconds(3));
    assertEquals(List.of("boom@1000", "after@2000"), ran);
  }
}

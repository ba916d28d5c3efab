package dev.meshwork.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.ManualClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The harness's own parts, on a manual clock: pacing, the call ledger, settings and reports. */
class HarnessTest {
  private final ManualClock clock = new ManualClock();
  private final ScheduledExecutorService scheduler = Harness.scheduler("harness-test", 1);

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  @Test
  void thePacerOffersWhatIsDueByTheClockAndCatchesUpAfterALateTick() throws Exception {
    assertEquals(1000, Pacer.total(200, Duration.ofSeconds(5)));
    assertEquals(1, Pacer.due(0, 200, 1000), "the first call at once");
    assertEquals(1, Pacer.due(4_999_999, 200, 1000));
    assertEquals(2, Pacer.due(5_000_000, 200, 1000));
    assertEquals(201, Pacer.due(1_000_000_000, 200, 1000), "a late tick catches up");
    assertEquals(1000, Pacer.due(60_000_000_000L, 200, 1000), "never more than the total");

    AtomicLong offered = new AtomicLong();
    CompletableFuture<Long> run =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Pacer.run(
                    scheduler, clock, 100, Duration.ofSeconds(2), n -> offered.incrementAndGet());
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    awaitValue(offered, 1);
    clock.advance(Duration.ofMillis(500));
    awaitValue(offered, 51);
    clock.advance(Duration.ofSeconds(5));
    assertEquals(200, run.get(10, TimeUnit.SECONDS));
    assertEquals(200, offered.get());
  }

  @Test
  void theLedgerCountsCallsNeverEndedAsLostAndASecondOutcomeAsAnError() throws Exception {
    CallLedger ledger = new CallLedger(clock);
    long first = ledger.start("GET");
    long second = ledger.start("POST");
    assertTrue(ledger.end(first));
    assertFalse(ledger.end(first), "a second outcome");
    assertEquals(1, ledger.endedTwice());
    assertEquals(1, ledger.openCount());
    assertTrue(ledger.describeOpen(5).get(0).contains("POST"));

    CompletableFuture<Integer> lost =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return ledger.awaitAllEnded(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    // The bound passes by the clock, not by waiting; the waiter may not have read it yet.
    for (int i = 0; i < 200 && !lost.isDone(); i++) {
      clock.advance(Duration.ofSeconds(31));
      try {
        lost.get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        // advance again
      }
    }
    assertEquals(1, lost.get(10, TimeUnit.SECONDS));

    ledger.end(second);
    assertEquals(0, ledger.awaitAllEnded(Duration.ofSeconds(30)));
    assertEquals(2, ledger.started());
    assertEquals(2, ledger.ended());
  }

  @Test
  void settingsComeFromTheFormArgumentsAndSystemProperties() {
    Options reduced = Options.parse("--rate=50", "--length", "90s");
    assertFalse(reduced.isFull());
    assertEquals(50, reduced.number("rate", 2000, 200));
    assertEquals(
        Duration.ofSeconds(90), reduced.duration("length", Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals(7, reduced.integer("kills", 1000, 7));
    Options full = Options.parse("--full");
    assertEquals(1_000, full.integer("kills", 1_000, 50));
    assertEquals(Duration.ofMillis(250), Options.parseDuration("x", "250ms"));
    assertEquals(Duration.ofMinutes(30), Options.parseDuration("x", "PT30M"));
    assertEquals("2m", Options.format(Duration.ofMinutes(2)));
    assertThrows(IllegalArgumentException.class, () -> Options.parseDuration("x", "soon"));
    assertThrows(IllegalArgumentException.class, () -> Options.parse("stray"));
    assertEquals(Map.of("kills", "7", "length", "90s", "rate", "50"), reduced.used());
  }

  @Test
  void aReportIsJsonWithEveryFigureAndPassesOnlyWhenEveryTargetIsMet() throws Exception {
    Report report = new Report("example", Options.reduced(), clock.now());
    report.figure("calls", 12).check("lost", 0, "0", true).note("a \"quoted\" note");
    assertTrue(report.passed());
    report.check("duplicates", 1, "0", false);
    assertEquals(java.util.List.of("duplicates = 1, target 0"), report.failures());
    JsonNode json = new ObjectMapper().readTree(report.json());
    assertEquals("example", json.get("scenario").asText());
    assertFalse(json.get("passed").asBoolean());
    Map<String, String> figures = new HashMap<>();
    json.get("figures").forEach(f -> figures.put(f.get("name").asText(), f.get("value").asText()));
    assertEquals(Map.of("calls", "12", "lost", "0", "duplicates", "1"), figures);
    assertTrue(report.text().contains("duplicates  1   (target 0: MISSED)"), report.text());
  }

  @Test
  void phasesFollowTheClock() {
    RetryAmplification.Phases phases =
        new RetryAmplification.Phases(clock, Duration.ofSeconds(3), Duration.ofSeconds(10));
    assertFalse(phases.failingNow(), "not started");
    phases.start();
    assertEquals("warmup", phases.phaseAt(clock.nanoTime()));
    clock.advance(Duration.ofSeconds(3));
    assertTrue(phases.failingNow());
    clock.advance(Duration.ofSeconds(10));
    assertEquals("healed", phases.phaseAt(clock.nanoTime()));
    assertEquals(clock.nanoTime(), phases.healedAt());
  }

  @Test
  void theSoakMixIsTenPercentErrorsFiveCancelledTwoTimedOut() {
    Map<String, Integer> kinds = new HashMap<>();
    for (long n = 0; n < 100; n++) {
      kinds.merge(Soak.kindOf(n), 1, Integer::sum);
    }
    assertEquals(Map.of("error", 10, "cancel", 5, "timeout", 2, "ok", 83), kinds);
  }

  private static void awaitValue(AtomicLong value, long expected) throws InterruptedException {
    Await.until(
        dev.meshwork.core.MeshClock.system(),
        Duration.ofSeconds(10),
        () -> value.get() == expected,
        () -> "value " + expected + ", is " + value.get());
  }
}

package dev.meshwork.core.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The recent-decisions ring buffer: bounded, newest first, consistent under concurrent writers. */
class DecisionLogTest {
  private static final ServiceName MATHOID = new ServiceName("mathoid");

  @Test
  void keepsTheLastCapacityDecisionsNewestFirst() {
    ManualClock clock = new ManualClock();
    DecisionLog log = new DecisionLog(4, clock);
    for (int i = 0; i < 10; i++) {
      log.record(
          MATHOID,
          DecisionKind.RETRY,
          "retry " + i,
          i % 2 == 0 ? Endpoint.of("127.0.0.1", 8000 + i) : null);
      clock.advance(Duration.ofMillis(1));
    }

    List<Decision> kept = log.newestFirst();
    assertEquals(10, log.recorded());
    assertEquals(List.of(9L, 8L, 7L, 6L), kept.stream().map(Decision::sequence).toList());
    assertEquals("retry 9", kept.get(0).detail());
    assertEquals("mathoid", kept.get(0).service());
    assertEquals(Optional.empty(), kept.get(0).endpoint());
    assertEquals("127.0.0.1:8008", kept.get(1).endpoint().orElseThrow().address());
    assertEquals(clock.now().minusMillis(1), kept.get(0).time());
  }

  @Test
  void aLongDetailIsCutWithAnEllipsisAndRedactedBeforeTheCut() {
    DecisionLog log = new DecisionLog(4, new ManualClock());
    String status = "Unexpected status line: " + "token.".repeat(43_000);
    log.record(MATHOID, DecisionKind.RETRY, status, null);
    String kept = log.newestFirst().get(0).detail();
    assertEquals(
        status.substring(0, 400) + "... (cut from " + status.length() + " characters)", kept);

    // The cut falls inside the user info: redacted first, the password is gone rather than half
    // kept.
    String url = "x".repeat(380) + " https://admin:hunter2hunter2hunter2@registry.example/";
    log.record(MATHOID, DecisionKind.RETRY, url, null);
    String cut = log.newestFirst().get(0).detail();
    assertFalse(cut.contains("hunter"), cut);
    assertTrue(cut.contains("https://[redac"), cut);

    String shortDetail = "10.0.0.1:80: attempt 1 by round_robin among 2";
    log.record(MATHOID, DecisionKind.RETRY, shortDetail, null);
    assertSame(
        shortDetail,
        log.newestFirst().get(0).detail(),
        "a short detail is kept as it is, without copying");
  }

  @Test
  void fewerDecisionsThanCapacityAreAllKept() {
    DecisionLog log = new DecisionLog(256, new ManualClock());
    assertEquals(List.of(), log.newestFirst());
    log.record(MATHOID, DecisionKind.EJECTION, "ejected", Endpoint.of("127.0.0.1", 1));
    assertEquals(1, log.newestFirst().size());
    assertEquals("EJECTION", log.newestFirst().get(0).kind());
  }

  @Test
  void concurrentWritersNeverShowAnEntryOutOfOrder() throws Exception {
    DecisionLog log = new DecisionLog(64, new ManualClock());
    int writers = 4;
    int each = 20_000;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    try {
      for (int w = 0; w < writers; w++) {
        pool.execute(
            () -> {
              try {
                start.await();
              } catch (InterruptedException e) {
                return;
              }
              for (int i = 0; i < each; i++) {
                log.record(MATHOID, DecisionKind.RETRY, "x", null);
              }
            });
      }
      start.countDown();
      List<List<Decision>> reads = new ArrayList<>();
      while (log.recorded() < (long) writers * each) {
        reads.add(log.newestFirst());
      }
      pool.shutdown();
      assertEquals(true, pool.awaitTermination(30, TimeUnit.SECONDS));
      reads.add(log.newestFirst());
      for (List<Decision> read : reads) {
        for (int i = 1; i < read.size(); i++) {
          if (read.get(i).sequence() >= read.get(i - 1).sequence()) {
            throw new AssertionError("out of order at " + i + ": " + read);
          }
        }
      }
      List<Decision> last = reads.get(reads.size() - 1);
      assertEquals(64, last.size());
      assertEquals((long) writers * each - 1, last.get(0).sequence());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aWriterThatStalledWhileTheRingWrappedNeverOverwritesANewerEntry() {
    DecisionLog.Ring ring = new DecisionLog.Ring(4);
    long stalled = ring.claim();
    for (long number = 1; number <= 4; number++) {
      ring.store(decision(number));
    }
    // Number 4 went to the slot the stalled writer claimed (0 % 4 == 4 % 4); now it writes.
    ring.write(stalled, decision(stalled));

    List<Decision> kept = new ArrayList<>();
    ring.collect(kept);
    assertEquals(List.of(4L, 3L, 2L, 1L), kept.stream().map(Decision::sequence).toList());
  }

  @Test
  void aClaimedButUnwrittenSlotIsLeftOutUntilItsWriterStores() {
    DecisionLog.Ring ring = new DecisionLog.Ring(4);
    for (long number = 0; number < 4; number++) {
      ring.store(decision(number));
    }
    long slow = ring.claim();
    ring.store(decision(5));

    List<Decision> kept = new ArrayList<>();
    ring.collect(kept);
    // Slot 0 still holds number 0, which is out of the window [2, 5]: neither it nor 4 is shown.
    assertEquals(List.of(5L, 3L, 2L), kept.stream().map(Decision::sequence).toList());
    ring.write(slow, decision(slow));
    kept.clear();
    ring.collect(kept);
    assertEquals(List.of(5L, 4L, 3L, 2L), kept.stream().map(Decision::sequence).toList());
  }

  private static Decision decision(long sequence) {
    return new Decision(
        sequence,
        Instant.EPOCH,
        "mathoid",
        "RETRY",
        "retry " + sequence,
        Optional.empty(),
        OptionalLong.empty());
  }

  @Test
  void aFloodOfPicksNeverPushesOutTheOtherDecisions() {
    DecisionLog log = new DecisionLog(8, new ManualClock());
    log.record(MATHOID, DecisionKind.EJECTION, "ejected: 127.0.0.1:1", Endpoint.of("127.0.0.1", 1));
    for (int i = 0; i < 1_000; i++) {
      log.record(MATHOID, DecisionKind.PICK, "pick " + i, null);
    }
    List<Decision> kept = log.newestFirst();
    // The last 2 picks (a quarter of 8), newest first, then the ejection from before them all.
    assertEquals(List.of(1000L, 999L, 0L), kept.stream().map(Decision::sequence).toList());
    assertEquals("EJECTION", kept.get(2).kind());
    assertEquals(1_001, log.recorded());
  }
}

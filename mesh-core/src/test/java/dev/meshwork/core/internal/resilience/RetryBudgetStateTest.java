package dev.meshwork.core.internal.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ManualClock;
import dev.meshwork.core.policy.RetryBudget;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The budget's arithmetic and its sliding window, on a manual clock. */
class RetryBudgetStateTest {
  private final ManualClock clock = new ManualClock();

  private static int withdrawAll(RetryBudgetState budget) {
    int granted = 0;
    while (budget.tryWithdraw()) {
      granted++;
    }
    return granted;
  }

  @Test
  void aQuietServiceGetsTheReserve() {
    RetryBudgetState budget = new RetryBudgetState(RetryBudget.defaults(), clock);
    assertEquals(100, withdrawAll(budget), "10 retries/s over a 10 s window");
  }

  @Test
  void retriesTrackTwentyPercentOfCallsOnTopOfTheReserve() {
    RetryBudget noReserve = RetryBudget.builder().minRetriesPerSecond(0).build();
    RetryBudgetState budget = new RetryBudgetState(noReserve, clock);
    for (int i = 0; i < 1000; i++) {
      budget.deposit();
    }
    assertEquals(200, withdrawAll(budget));
    assertFalse(budget.tryWithdraw());
  }

  @Test
  void theWindowSlidesSoTheBudgetRefills() {
    RetryBudgetState budget =
        new RetryBudgetState(RetryBudget.builder().minRetriesPerSecond(1).build(), clock);
    assertEquals(10, withdrawAll(budget));
    clock.advance(Duration.ofSeconds(5));
    assertFalse(budget.tryWithdraw(), "retries made 5 s ago still count");
    clock.advance(Duration.ofSeconds(5));
    assertEquals(10, withdrawAll(budget), "after a whole window the old retries have left it");
  }

  @Test
  void oldCallsStopEarningRetries() {
    RetryBudgetState budget =
        new RetryBudgetState(RetryBudget.builder().minRetriesPerSecond(0).build(), clock);
    for (int i = 0; i < 100; i++) {
      budget.deposit();
    }
    clock.advance(Duration.ofSeconds(10));
    assertFalse(budget.tryWithdraw(), "calls older than the window earn nothing");
  }

  @Test
  void underSustainedFailureRetriesStayWithinRatioPlusReserve() {
    // 50 calls per second for 30 s, every one wanting a retry: the budget's promise, second by
    // second.
    RetryBudgetState budget = new RetryBudgetState(RetryBudget.defaults(), clock);
    int calls = 0;
    int retries = 0;
    for (int second = 0; second < 30; second++) {
      for (int i = 0; i < 50; i++) {
        budget.deposit();
        calls++;
        if (budget.tryWithdraw()) {
          retries++;
        }
        clock.advance(Duration.ofMillis(20));
      }
    }
    // Each 10 s window allows 0.2 x calls + 100; 30 s are three windows.
    assertTrue(retries <= 0.2 * calls + 3 * 100, "retries " + retries + " for " + calls + " calls");
    assertTrue(retries >= 0.2 * calls, "the budget must still grant its share, was " + retries);
  }

  @Test
  void unlimitedNeverRefuses() {
    RetryBudgetState budget = new RetryBudgetState(RetryBudget.disabled(), clock);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(budget.tryWithdraw());
    }
  }

  @Test
  void backoffStaysWithinItsExponentialCeiling() {
    Random random = new Random(42);
    long base = Duration.ofMillis(25).toNanos();
    long max = Duration.ofMillis(250).toNanos();
    long[] ceilings = {base, 2 * base, 4 * base, 8 * base, max, max, max};
    for (int retry = 1; retry <= ceilings.length; retry++) {
      long seenMax = 0;
      for (int i = 0; i < 1000; i++) {
        long wait = Backoff.nanos(retry, base, max, random::nextDouble);
        assertTrue(wait >= 0 && wait <= ceilings[retry - 1], "retry " + retry + " waited " + wait);
        seenMax = Math.max(seenMax, wait);
      }
      // Full jitter spreads over the whole range: 1000 draws reach its top tenth (seed 42).
      assertTrue(
          seenMax > 0.9 * ceilings[retry - 1], "retry " + retry + " never waited near its ceiling");
    }
    assertEquals(
        max,
        Backoff.nanos(1000, base, max, () -> 0.9999999999) + 1,
        1,
        "no overflow at high retry counts");
  }
}

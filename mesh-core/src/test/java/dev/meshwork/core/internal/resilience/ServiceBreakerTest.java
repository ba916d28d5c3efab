package dev.meshwork.core.internal.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ManualClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowSynchronizationStrategy;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the service breaker costs per outcome, and that it still says why it opened. */
class ServiceBreakerTest {
  private static final int OUTCOMES = 50_000;

  private final ManualClock clock = new ManualClock();
  private final CircuitBreakerPolicy policy =
      CircuitBreakerPolicy.builder()
          .minimumCalls(10)
          .failureRateThreshold(50)
          .openDuration(Duration.ofSeconds(10))
          .halfOpenProbes(2)
          .build();

  /**
   * Every attempt records an outcome, from every caller thread. Recording a success must cost what
   * resilience4j's own breaker costs for it, nothing more: no event object per call (a listener on
   * the breaker's event publisher makes resilience4j build one, with a wall-clock time stamp, for
   * every outcome, under the lock every caller takes).
   */
  @Test
  void recordingASuccessAllocatesNoMoreThanResilience4jsOwnBreaker() {
    ServiceBreaker breaker = new ServiceBreaker(ServiceName.of("mathoid"), policy, clock);
    CircuitBreaker bare =
        CircuitBreaker.of(
            "bare",
            CircuitBreakerConfig.custom()
                .failureRateThreshold(50)
                .slidingWindow(
                    (int) policy.window().toSeconds(),
                    10,
                    SlidingWindowType.TIME_BASED,
                    SlidingWindowSynchronizationStrategy.SYNCHRONIZED)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .build());

    long meshBytes = 0;
    long bareBytes = 0;
    for (int round = 0; round < 5; round++) { // the last rounds run compiled code
      meshBytes = allocated(() -> breaker.onSuccess(1_000));
      bareBytes = allocated(() -> bare.onSuccess(1_000, TimeUnit.NANOSECONDS));
    }

    assertTrue(
        meshBytes <= bareBytes + OUTCOMES * 8L,
        "per success: the mesh's breaker "
            + meshBytes / OUTCOMES
            + " bytes, resilience4j's "
            + bareBytes / OUTCOMES);
  }

  @Test
  void aRefusalStillSaysWhatOpenedTheBreakerAndWhatReopenedIt() {
    ServiceBreaker breaker = new ServiceBreaker(ServiceName.of("mathoid"), policy, clock);
    for (int i = 0; i < 10; i++) {
      assertNull(breaker.tryAcquire());
      breaker.onFailure(1_000, null);
    }

    ServiceBreaker.Refusal open = breaker.tryAcquire();

    assertNotNull(open);
    assertEquals("OPEN", open.state());
    assertEquals(
        "failure rate 100.0% of 10 calls in the last 10 s reached 50.0%; retrying after 10000 ms",
        open.reason());

    clock.advance(Duration.ofMillis(10_001));
    assertNull(breaker.tryAcquire(), "the first probe");
    assertNull(breaker.tryAcquire(), "the second probe");
    breaker.onFailure(1_000, null);
    clock.advance(Duration.ofSeconds(1));
    breaker.onSuccess(1_000); // one failure of two probes: a success that reopens it

    ServiceBreaker.Refusal reopened = breaker.tryAcquire();
    assertNotNull(reopened);
    assertEquals(
        "failure rate 50.0% of 2 half-open probe calls reached 50.0%; retrying after 10000 ms",
        reopened.reason());
  }

  /** Bytes this thread allocates running {@code outcome} {@value #OUTCOMES} times. */
  private static long allocated(Runnable outcome) {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < OUTCOMES; i++) {
      outcome.run();
    }
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}

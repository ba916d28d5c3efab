package dev.meshwork.core.resilience;

import static dev.meshwork.core.HedgedReplies.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.HedgedReplies;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Backup requests. The first endpoint's attempt blocks until it is cancelled, so whether a backup
 * was sent and won does not depend on timing; only the hedge delay itself is real time.
 */
class HedgingTest {
  private static final String SLOW = "10.0.0.1:80";

  /** A no-network transport that can hedge: {@link #SLOW} never answers until cancelled. */
  static class HedgingExchange implements Exchange<Integer> {
    final List<String> sentTo = new CopyOnWriteArrayList<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    final List<Integer> discarded = new CopyOnWriteArrayList<>();
    private final Map<AttemptContext, CountDownLatch> blocked = new ConcurrentHashMap<>();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    volatile int fastStatus = 200;

    @Override
    public Integer send(Endpoint endpoint, AttemptContext attempt) throws IOException {
      sentTo.add(endpoint.address());
      if (!attempt.hedged()) {
        throw new AssertionError("attempts of a hedged call must be marked hedged");
      }
      if (slow(endpoint, attempt)) {
        CountDownLatch cancel = new CountDownLatch(1);
        blocked.put(attempt, cancel);
        slowStarted.countDown();
        try {
          cancel.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new IOException("Canceled");
      }
      return fastStatus;
    }

    /** Whether this attempt waits until it is cancelled. */
    boolean slow(Endpoint endpoint, AttemptContext attempt) {
      return endpoint.address().equals(SLOW);
    }

    @Override
    public boolean supportsHedging() {
      return true;
    }

    @Override
    public void cancel(AttemptContext attempt) {
      CountDownLatch latch = blocked.remove(attempt);
      if (latch != null) {
        cancelled.add(SLOW);
        latch.countDown();
      }
    }

    @Override
    public int status(Integer response) {
      return response;
    }

    @Override
    public String header(Integer response, String name) {
      return null;
    }

    @Override
    public void discard(Integer response) {
      discarded.add(response);
    }
  }

  private static Mesh mesh(Consumer<dev.meshwork.core.ServiceConfig.Builder> extra) {
    return mesh(extra, new SimpleMeterRegistry());
  }

  private static Mesh mesh(
      Consumer<dev.meshwork.core.ServiceConfig.Builder> extra, SimpleMeterRegistry registry) {
    return Mesh.builder()
        .telemetry(Telemetry.builder().meterRegistry(registry).build())
        .service(
            "mathoid",
            s -> {
              s.endpoints(SLOW, "10.0.0.2:80")
                  .loadBalancer(LoadBalancers.roundRobin())
                  .hedging(Duration.ofMillis(20))
                  .outlierDetection(OutlierDetection.disabled());
              extra.accept(s);
            })
        .build();
  }

  @Test
  void aBackupToAnotherEndpointWinsAndTheSlowAttemptIsCancelled() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      HedgingExchange exchange = new HedgingExchange();
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(
          List.of(SLOW, "10.0.0.2:80"),
          exchange.sentTo,
          "round robin starts at the slow one; the backup goes elsewhere");
      assertEquals(List.of(SLOW), exchange.cancelled, "the losing attempt is cancelled");
    }
  }

  /**
   * A slow but healthy endpoint under the default outlier detection and breaker: every call it gets
   * first is hedged and it loses the race, so it is cancelled each time. Being cancelled by the
   * mesh is no verdict on it: it is not ejected, nothing counts as a failure, the breaker stays
   * closed, and the attempt's duration is tagged {@code CANCELLED}.
   */
  @Test
  void losingAHedgedRaceIsNoFailureOfTheSlowEndpoint() throws IOException {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Mesh mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().meterRegistry(registry).build())
            .service(
                "mathoid",
                s ->
                    s.endpoints(SLOW, "10.0.0.2:80")
                        .loadBalancer(LoadBalancers.roundRobin())
                        .hedging(Duration.ofMillis(5)))
            .build()) {
      HedgingExchange exchange = new HedgingExchange();
      for (int i = 0; i < 30; i++) {
        assertEquals(
            200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange), "call " + i);
      }
      for (EndpointStatus status : mesh.endpointStatus("mathoid")) {
        assertFalse(status.ejected(), status.toString());
        assertEquals(0, status.failures(), status.toString());
      }
      assertTrue(
          exchange.cancelled.size() >= 10,
          "the slow endpoint lost races: " + exchange.cancelled.size());
      EndpointStatus slow =
          mesh.endpointStatus("mathoid").stream()
              .filter(status -> status.endpoint().address().equals(SLOW))
              .findFirst()
              .orElseThrow();
      assertEquals(0, slow.successes(), "a cancelled attempt is no success either");
      // The last loser ends on its hedge thread after the caller has its answer: wait for it,
      // bounded.
      Timer cancelled =
          registry
              .get(Telemetry.REQUEST_DURATION)
              .tag("mesh.endpoint", SLOW)
              .tag("outcome", "CANCELLED")
              .timer();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (cancelled.count() < exchange.cancelled.size() && System.nanoTime() - until < 0) {
        Thread.onSpinWait();
      }
      assertEquals(exchange.cancelled.size(), (int) cancelled.count());
      assertEquals(1.0, registry.get("mesh.circuit.state").tag("state", "CLOSED").gauge().value());
    }
  }

  /**
   * Every call is hedged and its backup wins, so half of all attempts are cancelled. Under the
   * default breaker (50% of at least 20 attempts) that is no failure rate at all: it stays closed.
   */
  @Test
  void cancelledAttemptsDoNotOpenTheBreaker() throws IOException {
    try (Mesh mesh = mesh(s -> s.hedging(Duration.ofMillis(5)))) {
      HedgingExchange exchange =
          new HedgingExchange() {
            @Override
            boolean slow(Endpoint endpoint, AttemptContext attempt) {
              return attempt.attempt() == 0;
            }
          };
      for (int i = 0; i < 60; i++) {
        assertEquals(
            200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange), "call " + i);
      }
      assertEquals(60, exchange.cancelled.size(), "every first attempt lost its race");
    }
  }

  @Test
  void noBackupWhenTheFirstAnswersInTime() throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s -> s.endpoints("10.0.0.2:80", "10.0.0.3:80").hedging(Duration.ofSeconds(30)))
            .build()) {
      HedgingExchange exchange = new HedgingExchange();
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(1, exchange.sentTo.size());
    }
  }

  @Test
  void nonIdempotentCallsAreNeverHedged() throws Exception {
    try (Mesh mesh = mesh(s -> s.perTryTimeout(Duration.ofSeconds(30)))) {
      HedgingExchange exchange =
          new HedgingExchange() {
            @Override
            public Integer send(Endpoint endpoint, AttemptContext attempt) {
              sentTo.add(endpoint.address());
              assertTrue(!attempt.hedged(), "a POST's attempt is not hedged");
              return 200;
            }
          };
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.post(), exchange));
      assertEquals(1, exchange.sentTo.size());
    }
  }

  @Test
  void anEmptyBudgetMeansNoBackup() throws Exception {
    RetryBudget empty = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Mesh mesh = mesh(s -> s.retryBudget(empty), registry)) {
      HedgingExchange exchange = new HedgingExchange();
      Thread caller = Thread.currentThread();
      Thread canceller =
          new Thread(
              () -> {
                try {
                  exchange.slowStarted.await(10, TimeUnit.SECONDS);
                  // The caller waits with a timeout (the hedge delay) and then, having decided
                  // about the
                  // backup, without one: release the slow attempt only once it waits without a
                  // timeout.
                  while (caller.getState() != Thread.State.WAITING) {
                    Thread.onSpinWait();
                  }
                  exchange.blocked.values().forEach(CountDownLatch::countDown);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      canceller.start();
      try {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      } catch (IOException expected) {
        // the slow attempt fails when released; the budget allows no retry either
      }
      canceller.join();
      assertEquals(List.of(SLOW), exchange.sentTo, "the budget refused the backup");
      assertTrue(
          registry.get("mesh.retry.budget.refused").counter().count() >= 1,
          "the refused backup is counted");
    }
  }

  /**
   * Two endpoints, a backup after 1 ms of real time, and a 1 s deadline on {@code clock}, which the
   * scripts move.
   */
  private static Mesh hedgedWithDeadline(ManualClock clock) {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                    .hedging(Duration.ofMillis(1))
                    .timeout(Duration.ofSeconds(1))
                    .outlierDetection(OutlierDetection.disabled()))
        .build();
  }

  /**
   * The backup (attempt 1) answers 503 first; only once the caller took that answer does the first
   * attempt move the clock past the deadline and end as {@code then} says.
   */
  private static HedgedReplies backupAnswersBeforeTheDeadline(
      ManualClock clock, HedgedReplies.Script then) {
    CountDownLatch backupTaken = new CountDownLatch(1);
    return new HedgedReplies(
            attempt -> {
              if (attempt == 1) {
                return 503;
              }
              await(backupTaken);
              clock.advance(Duration.ofSeconds(2));
              return then.status(attempt);
            })
        .whenTaken(1, backupTaken);
  }

  @Test
  void aHedgedCallPastItsDeadlineNamesTheEndpointOfTheFailureItEndedOn() {
    ManualClock clock = new ManualClock();
    // The call ends on the first attempt's failure while its latest pick is the backup's endpoint.
    HedgedReplies replies =
        backupAnswersBeforeTheDeadline(
            clock,
            attempt -> {
              throw new IOException("read timed out");
            });
    try (Mesh mesh = hedgedWithDeadline(clock)) {
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies));
      assertEquals(
          Optional.of(replies.sentTo.get(0)),
          e.endpoint(),
          "the backup went to " + replies.sentTo.get(1) + ": " + e.getMessage());
      assertEquals("read timed out", e.getCause().getCause().getMessage());
    }
  }

  @Test
  void aHedgedCallWhoseAttemptsBothRanPastTheDeadlineNamesBothEndpoints() {
    ManualClock clock = new ManualClock();
    CountDownLatch deadlinePassed = new CountDownLatch(1);
    // Both attempts are still waiting when the backup moves the clock past the deadline; then both
    // time out.
    HedgedReplies replies =
        new HedgedReplies(
            attempt -> {
              if (attempt == 1) {
                clock.advance(Duration.ofSeconds(2));
                deadlinePassed.countDown();
              } else {
                await(deadlinePassed);
              }
              throw new IOException("read timed out");
            });
    try (Mesh mesh = hedgedWithDeadline(clock)) {
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies));
      assertBothNamed(replies, e);
    }
  }

  @Test
  void aHedgedCallGivenUpPastItsDeadlineNamesEveryEndpointStillInFlightNotJustTheLatestPick() {
    ManualClock clock = new ManualClock();
    Thread caller = Thread.currentThread();
    CountDownLatch release = new CountDownLatch(1);
    // The caller is interrupted (a failure that names no endpoint) after the deadline passed, with
    // the first attempt and the backup both waiting; the latest pick is only the backup's endpoint.
    HedgedReplies replies =
        new HedgedReplies(
            attempt -> {
              if (attempt == 1) {
                clock.advance(Duration.ofSeconds(2));
                caller.interrupt();
              }
              await(release);
              throw new IOException("released after the call ended");
            });
    assertBothNamed(replies, givenUp(clock, replies, release));
  }

  @Test
  void aHedgedCallGivenUpPastItsDeadlineAfterTheBackupAnsweredNamesTheAttemptStillInFlight() {
    ManualClock clock = new ManualClock();
    Thread caller = Thread.currentThread();
    CountDownLatch release = new CountDownLatch(1);
    // Past the deadline the caller is interrupted while only the first attempt still waits. The
    // latest pick, the backup's endpoint, had answered before the deadline.
    HedgedReplies replies =
        backupAnswersBeforeTheDeadline(
            clock,
            attempt -> {
              caller.interrupt();
              await(release);
              throw new IOException("released after the call ended");
            });
    MeshException.DeadlineExceeded e = givenUp(clock, replies, release);
    assertEquals(
        Optional.of(replies.sentTo.get(0)),
        e.endpoint(),
        "the backup at " + replies.sentTo.get(1) + " had answered: " + e.getMessage());
    assertEquals(List.of(replies.sentTo.get(0)), e.endpoints());
    assertEquals(
        "service 'mathoid' endpoint "
            + replies.sentTo.get(0).address()
            + ": deadline of 1000 ms exceeded"
            + " after 2000 ms and 2 attempts; the last failed: InterruptedIOException: interrupted while waiting for hedged"
            + " attempts",
        e.getMessage());
  }

  /**
   * The call's failure when {@code replies} interrupt the caller past the deadline and hold their
   * attempts until {@code release}, which opens once the call has ended.
   */
  private static MeshException.DeadlineExceeded givenUp(
      ManualClock clock, HedgedReplies replies, CountDownLatch release) {
    try (Mesh mesh = hedgedWithDeadline(clock)) {
      try {
        MeshException.DeadlineExceeded e =
            assertThrows(
                MeshException.DeadlineExceeded.class,
                () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies));
        assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
        assertInstanceOf(
            InterruptedIOException.class, e.getCause(), "a failure that names no endpoint");
        return e;
      } finally {
        release.countDown();
      }
    }
  }

  /**
   * The deadline names no single endpoint but both attempts', in attempt-number order, with service
   * and reason.
   */
  private static void assertBothNamed(HedgedReplies replies, MeshException.DeadlineExceeded e) {
    Endpoint first = replies.sentTo.get(0);
    Endpoint backup = replies.sentTo.get(1);
    assertEquals(Optional.empty(), e.endpoint(), e.getMessage());
    assertEquals(List.of(first, backup), e.endpoints());
    String message = e.getMessage();
    assertTrue(
        message.startsWith(
            "service 'mathoid': deadline of 1000 ms exceeded after 2000 ms and 2 attempts; the last"
                + " failed: "),
        message);
    assertTrue(
        message.endsWith(
            "; hedged attempts were in flight at " + first.address() + " and " + backup.address()),
        message);
    assertEquals(
        message.indexOf("service '"),
        message.lastIndexOf("service '"),
        "the service is named once: " + message);
  }
}

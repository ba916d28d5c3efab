package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The service breaker through closed, open and half-open, driven by a manual clock. */
class CircuitBreakerTest {
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger status = new AtomicInteger(500);

  private Mesh mesh() {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                    .retries(RetryPolicy.disabled())
                    .outlierDetection(OutlierDetection.disabled())
                    .circuitBreaker(
                        CircuitBreakerPolicy.builder()
                            .minimumCalls(10)
                            .failureRateThreshold(50)
                            .openDuration(Duration.ofSeconds(10))
                            .halfOpenProbes(2)
                            .build()))
        .build();
  }

  @Test
  void opensOnFailureRateThenProbesThenCloses() throws Exception {
    try (Mesh mesh = mesh()) {
      ServiceInvoker invoker = Invokers.of(mesh, "mathoid");
      ScriptedExchange exchange = new ScriptedExchange((endpoint, attempt) -> status.get());
      for (int i = 0; i < 9; i++) {
        assertEquals(
            500,
            invoker.invoke(TestRequest.get(), exchange),
            "below minimumCalls the breaker does not judge");
      }
      assertEquals(
          500,
          invoker.invoke(TestRequest.get(), exchange),
          "the 10th failure is still sent, then it opens");

      MeshException.CircuitOpen open =
          assertThrows(
              MeshException.CircuitOpen.class, () -> invoker.invoke(TestRequest.get(), exchange));
      assertEquals("OPEN", open.state());
      assertTrue(
          open.getMessage()
              .startsWith(
                  "service 'mathoid': circuit breaker OPEN: failure rate 100.0% of 10 calls"),
          open.getMessage());
      assertEquals(10, exchange.sentTo.size(), "an open breaker sends nothing");

      clock.advance(Duration.ofSeconds(10));
      assertThrows(
          MeshException.CircuitOpen.class,
          () -> invoker.invoke(TestRequest.get(), exchange),
          "open for the whole openDuration");
      clock.advance(Duration.ofMillis(1));
      status.set(200);
      assertEquals(200, invoker.invoke(TestRequest.get(), exchange), "first half-open probe");
      assertEquals(200, invoker.invoke(TestRequest.get(), exchange), "second half-open probe");
      for (int i = 0; i < 20; i++) {
        assertEquals(
            200, invoker.invoke(TestRequest.get(), exchange), "closed again after good probes");
      }
    }
  }

  /**
   * An attempt admitted while the breaker was closed ends after it opened: its outcome still counts
   * (resilience4j records it) and moves the rate. A refusal reports the state and rate that opened
   * the breaker, not the rate as it is when the refusal is described.
   */
  @Test
  void aRefusalReportsTheRateThatOpenedTheBreaker() throws Exception {
    try (Mesh mesh = mesh()) {
      ServiceInvoker invoker = Invokers.of(mesh, "mathoid");
      CountDownLatch inFlight = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      ScriptedExchange held =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                inFlight.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return 200;
              });
      ExecutorService caller = Executors.newSingleThreadExecutor();
      try {
        Future<Integer> late = caller.submit(() -> invoker.invoke(TestRequest.get(), held));
        assertTrue(inFlight.await(10, TimeUnit.SECONDS));
        ScriptedExchange exchange = new ScriptedExchange((endpoint, attempt) -> status.get());
        status.set(200);
        for (int i = 0; i < 5; i++) {
          invoker.invoke(TestRequest.get(), exchange);
        }
        status.set(500);
        for (int i = 0; i < 5; i++) {
          invoker.invoke(TestRequest.get(), exchange);
        }
        // 5 failures of 10 calls: 50% opened it. The late success makes it 5 of 11 (45.5%).
        release.countDown();
        assertEquals(200, late.get());
        MeshException.CircuitOpen open =
            assertThrows(
                MeshException.CircuitOpen.class, () -> invoker.invoke(TestRequest.get(), exchange));
        assertEquals(
            "service 'mathoid': circuit breaker OPEN: failure rate 50.0% of 10 calls in the last 10 s reached"
                + " 50.0%; retrying after 10000 ms",
            open.getMessage());
      } finally {
        caller.shutdownNow();
      }
    }
  }

  @Test
  void failedProbesReopen() throws Exception {
    try (Mesh mesh = mesh()) {
      ServiceInvoker invoker = Invokers.of(mesh, "mathoid");
      ScriptedExchange exchange =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                throw new ConnectException("Connection refused");
              });
      for (int i = 0; i < 10; i++) {
        assertThrows(IOException.class, () -> invoker.invoke(TestRequest.get(), exchange));
      }
      assertEquals(
          "OPEN",
          assertThrows(
                  MeshException.CircuitOpen.class,
                  () -> invoker.invoke(TestRequest.get(), exchange))
              .state());
      clock.advance(Duration.ofMillis(10_001));
      assertThrows(
          dev.meshwork.core.exception.MeshException.EndpointFailed.class,
          () -> invoker.invoke(TestRequest.get(), exchange));
      assertThrows(
          dev.meshwork.core.exception.MeshException.EndpointFailed.class,
          () -> invoker.invoke(TestRequest.get(), exchange));
      assertEquals(
          "OPEN",
          assertThrows(
                  MeshException.CircuitOpen.class,
                  () -> invoker.invoke(TestRequest.get(), exchange))
              .state(),
          "two failed probes open it again");
    }
  }

  @Test
  void halfOpenLetsOnlyTheConfiguredProbesThrough() throws Exception {
    try (Mesh mesh = mesh()) {
      ServiceInvoker invoker = Invokers.of(mesh, "mathoid");
      for (int i = 0; i < 10; i++) {
        invoker.invoke(TestRequest.get(), ScriptedExchange.always(503));
      }
      clock.advance(Duration.ofMillis(10_001));
      CountDownLatch probesInFlight = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      ScriptedExchange held =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                probesInFlight.countDown();
                try {
                  release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return 200;
              });
      ExecutorService callers = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> first = callers.submit(() -> invoker.invoke(TestRequest.get(), held));
        Future<Integer> second = callers.submit(() -> invoker.invoke(TestRequest.get(), held));
        assertTrue(probesInFlight.await(10, TimeUnit.SECONDS));
        MeshException.CircuitOpen third =
            assertThrows(
                MeshException.CircuitOpen.class, () -> invoker.invoke(TestRequest.get(), held));
        assertEquals("HALF_OPEN", third.state());
        assertTrue(
            third.getMessage().contains("all 2 half-open probe calls are in flight"),
            third.getMessage());
        release.countDown();
        assertEquals(200, first.get());
        assertEquals(200, second.get());
      } finally {
        callers.shutdownNow();
      }
    }
  }
}

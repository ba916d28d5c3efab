package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The retry budget through the whole pipeline, on a manual clock: the bound its Javadoc and the
 * README state (in any window, retries up to ratio x calls plus the reserve minRetriesPerSecond x
 * window), and what a refused retry gives the caller.
 */
class RetryBudgetTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private Mesh mesh(RetryBudget budget) {
    return Mesh.builder()
        .clock(clock)
        .telemetry(Telemetry.builder().meterRegistry(registry).build())
        .service(
            "mathoid",
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80")
                    .retries(
                        RetryPolicy.builder()
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                            .build())
                    .retryBudget(budget)
                    .circuitBreaker(CircuitBreakerPolicy.disabled())
                    .outlierDetection(OutlierDetection.disabled()))
        .build();
  }

  private double refusals() {
    return registry.get("mesh.retry.budget.refused").counter().count();
  }

  @Test
  void failingCallsGetAtMostTheStatedShareOfRetriesAndTheRefusedOnesTheirAnswer()
      throws IOException {
    RetryBudget budget = RetryBudget.defaults();
    int calls = 500;
    Duration spread = Duration.ofSeconds(5);
    // The stated bound for calls within one window: ratio x calls + minRetriesPerSecond x window =
    // 100 + 100.
    long bound =
        Math.round(budget.ratio() * calls)
            + budget.minRetriesPerSecond() * budget.window().toSeconds();
    assertEquals(200, bound);
    try (Mesh mesh = mesh(budget)) {
      ScriptedExchange exchange = ScriptedExchange.always(503);
      for (int i = 0; i < calls; i++) {
        assertEquals(
            503,
            Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange),
            "call " + i + ": a retry the budget refuses returns the 503 it would have replaced");
        clock.advance(spread.dividedBy(calls));
      }
      assertTrue(
          clock.nanoTime() < budget.window().toNanos(),
          "every call and retry fell within one window");
      int retries = exchange.sentTo.size() - calls;
      // The budget is exact: every call wanted a retry, so it granted the whole bound.
      assertEquals(
          bound,
          retries,
          "retries for " + calls + " failing calls in " + spread.toSeconds() + " s");
      assertEquals(calls - bound, refusals(), "each refusal is counted");
      assertEquals(
          calls + bound - calls,
          exchange.discarded.size(),
          "only the retried answers are discarded");
    }
  }

  @Test
  void aRefusedRetryAfterAFailureWithoutAnAnswerStillThrows() {
    RetryBudget empty = RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build();
    try (Mesh mesh = mesh(empty)) {
      ScriptedExchange exchange =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                throw new ConnectException("Connection refused");
              });
      MeshException.RetryBudgetExhausted e =
          assertThrows(
              MeshException.RetryBudgetExhausted.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertInstanceOf(ConnectException.class, e.getCause().getCause(), e.getMessage());
      assertTrue(e.getMessage().contains("retry budget exhausted"), e.getMessage());
      assertEquals(1, refusals());
    }
  }
}

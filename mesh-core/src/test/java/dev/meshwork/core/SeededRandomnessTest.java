package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A mesh built with {@link MeshBuilder#randomSeed} repeats its draws: the same calls make the same
 * decisions, back-off waits and picks of the default balancer included.
 */
class SeededRandomnessTest {
  private static final String[] ENDPOINTS = {
    "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80", "10.0.0.4:80", "10.0.0.5:80"
  };

  /** The details of every decision of {@code calls} calls, oldest first. */
  private static List<String> decisions(
      long seed, Consumer<ServiceConfig.Builder> service, ScriptedExchange exchange, int calls)
      throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .clock(new ManualClock())
            .randomSeed(seed)
            .decisions(1024)
            .service(
                "mathoid",
                s -> {
                  s.endpoints(ENDPOINTS)
                      .circuitBreaker(CircuitBreakerPolicy.disabled())
                      .outlierDetection(OutlierDetection.disabled())
                      .retryBudget(RetryBudget.disabled());
                  service.accept(s);
                })
            .build()) {
      for (int i = 0; i < calls; i++) {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      }
      List<String> details = new ArrayList<>();
      for (Decision decision : mesh.snapshot().decisions()) {
        details.add(0, decision.kind() + " " + decision.detail());
      }
      return details;
    }
  }

  @Test
  void backOffWaitsRepeatWithTheSeed() throws IOException {
    Consumer<ServiceConfig.Builder> threeAttempts =
        s ->
            s.loadBalancer(LoadBalancers.roundRobin())
                .retries(RetryPolicy.builder().maxAttempts(3).build());
    List<String> first = waits(decisions(7, threeAttempts, ScriptedExchange.always(503), 20));
    List<String> again = waits(decisions(7, threeAttempts, ScriptedExchange.always(503), 20));

    assertEquals(40, first.size(), "two retries per call: " + first);
    assertTrue(Set.copyOf(first).size() > 1, "full jitter varies the wait: " + first);
    assertEquals(first, again, "the same seed, the same waits");
  }

  private static List<String> waits(List<String> decisions) {
    return decisions.stream()
        .filter(d -> d.startsWith("RETRY"))
        .map(d -> d.substring(d.indexOf("retrying in")))
        .toList();
  }

  @Test
  void theDefaultBalancerPicksRepeatWithTheSeed() throws IOException {
    Consumer<ServiceConfig.Builder> defaults = s -> {};
    List<String> first = decisions(7, defaults, ScriptedExchange.always(200), 50);
    List<String> again = decisions(7, defaults, ScriptedExchange.always(200), 50);

    List<String> picked =
        first.stream()
            .filter(d -> d.startsWith("PICK"))
            .map(d -> d.substring(0, d.indexOf(':')))
            .toList();
    assertEquals(50, picked.size(), first.toString());
    assertTrue(Set.copyOf(picked).size() > 2, "least request spreads the calls: " + picked);
    assertEquals(first, again, "the same seed, the same picks");
  }
}

package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import org.junit.jupiter.api.Test;

/**
 * Every scenario of the checklist passes with the mesh's defaults, and fails, saying why, on a
 * configuration that does not survive it.
 */
class MeshChecklistTest {
  private final MeshChecklist defaults = MeshChecklist.forService("mathoid", s -> {});

  @Test
  void oneEndpointFailing() {
    defaults.oneEndpointFailing();
    AssertionError noRetries =
        assertThrows(
            AssertionError.class,
            () ->
                MeshChecklist.forService("mathoid", s -> s.retries(RetryPolicy.disabled()))
                    .oneEndpointFailing());
    assertTrue(
        noRetries
            .getMessage()
            .startsWith("checklist 'one endpoint failing' for service 'mathoid': "),
        noRetries.getMessage());
    assertTrue(
        noRetries.getMessage().contains("calls failed, the first: call"), noRetries.getMessage());
  }

  @Test
  void allEndpointsFailing() {
    defaults.allEndpointsFailing();
    AssertionError noBudget =
        assertThrows(
            AssertionError.class,
            () ->
                MeshChecklist.forService(
                        "mathoid",
                        s ->
                            s.retryBudget(RetryBudget.disabled())
                                .circuitBreaker(CircuitBreakerPolicy.disabled())
                                .retries(RetryPolicy.builder().maxAttempts(3).build()))
                    .allEndpointsFailing());
    assertTrue(
        noBudget.getMessage().contains("the retry budget is disabled"), noBudget.getMessage());
  }

  @Test
  void slowEndpoint() {
    defaults.slowEndpoint();
  }

  @Test
  void deploy() {
    defaults.deploy();
  }

  @Test
  void certificateRotation() {
    defaults.certificateRotation();
  }
}

package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Bad numbers are refused when the policy is built, naming the field and the value. */
class PolicyValidationTest {

  private static void refused(String field, String value, Supplier<?> build) {
    MeshConfigException e = assertThrows(MeshConfigException.class, build::get);
    assertEquals(field, e.field());
    assertEquals(value, e.value());
    assertTrue(e.getMessage().contains("expected"), e.getMessage());
  }

  @Test
  void timeouts() {
    refused(
        "service 'mathoid' timeout",
        "PT0S",
        () ->
            ServiceConfig.builder("mathoid")
                .endpoints("10.0.0.1:80")
                .timeout(Duration.ZERO)
                .build());
    refused(
        "service 'mathoid' perTryTimeout",
        "PT-1S",
        () ->
            ServiceConfig.builder("mathoid")
                .endpoints("10.0.0.1:80")
                .perTryTimeout(Duration.ofSeconds(-1))
                .build());
    refused(
        "service 'mathoid' connectTimeout",
        "null",
        () ->
            ServiceConfig.builder("mathoid").endpoints("10.0.0.1:80").connectTimeout(null).build());
    refused(
        "timeout", "PT-0.001S", () -> CallOptions.builder().timeout(Duration.ofMillis(-1)).build());
  }

  @Test
  void retries() {
    refused("retry maxAttempts", "0", () -> RetryPolicy.builder().maxAttempts(0).build());
    refused("maxAttempts", "0", () -> CallOptions.builder().maxAttempts(0).build());
    refused(
        "retry retriableStatuses",
        "42",
        () -> RetryPolicy.builder().retriableStatuses(503, 42).build());
    refused(
        "retry backoff max",
        "PT0.01S",
        () -> RetryPolicy.builder().backoff(Duration.ofMillis(25), Duration.ofMillis(10)).build());
  }

  @Test
  void budgetRatiosAndWindows() {
    refused("retryBudget ratio", "1.5", () -> RetryBudget.builder().ratio(1.5).build());
    refused("retryBudget ratio", "-0.1", () -> RetryBudget.builder().ratio(-0.1).build());
    refused("retryBudget ratio", "NaN", () -> RetryBudget.builder().ratio(Double.NaN).build());
    refused(
        "retryBudget minRetriesPerSecond",
        "-1",
        () -> RetryBudget.builder().minRetriesPerSecond(-1).build());
    refused(
        "retryBudget window",
        "PT0.5S",
        () -> RetryBudget.builder().window(Duration.ofMillis(500)).build());
  }

  @Test
  void aPolicyListsExactlyItsRetriableStatuses() {
    RetryPolicy policy = RetryPolicy.builder().retriableStatuses(100, 429, 503, 599).build();
    for (int status = -1; status <= 700; status++) {
      boolean listed = status == 100 || status == 429 || status == 503 || status == 599;
      assertEquals(listed, policy.listsStatus(status), "status " + status);
    }
    assertTrue(RetryPolicy.defaults().listsStatus(502) && !RetryPolicy.defaults().listsStatus(500));
  }

  @Test
  void percentages() {
    refused(
        "outlierDetection maxEjectionPercent",
        "101.0",
        () -> OutlierDetection.builder().maxEjectionPercent(101).build());
    refused(
        "outlierDetection panicThresholdPercent",
        "-5.0",
        () -> OutlierDetection.builder().panicThresholdPercent(-5).build());
    refused(
        "outlierDetection failurePercentage threshold",
        "150.0",
        () -> OutlierDetection.builder().failurePercentage(true, 150, 5, 50).build());
    refused(
        "circuitBreaker failureRateThreshold",
        "120.0",
        () -> CircuitBreakerPolicy.builder().failureRateThreshold(120).build());
    refused(
        "circuitBreaker failureRateThreshold",
        "0.0",
        () -> CircuitBreakerPolicy.builder().failureRateThreshold(0).build());
  }

  @Test
  void countsAndDurations() {
    refused(
        "outlierDetection consecutive5xx",
        "0",
        () -> OutlierDetection.builder().consecutive5xx(0).build());
    refused(
        "outlierDetection maxEjectionTime",
        "PT10S",
        () ->
            OutlierDetection.builder()
                .baseEjectionTime(Duration.ofSeconds(30))
                .maxEjectionTime(Duration.ofSeconds(10))
                .build());
    refused(
        "circuitBreaker halfOpenProbes",
        "0",
        () -> CircuitBreakerPolicy.builder().halfOpenProbes(0).build());
    refused(
        "circuitBreaker openDuration",
        "PT0S",
        () -> CircuitBreakerPolicy.builder().openDuration(Duration.ZERO).build());
    refused("limits maxRequests", "0", () -> new ConcurrencyLimits(0, 10, 10));
    refused("limits maxPending", "-1", () -> new ConcurrencyLimits(10, -1, 10));
    refused("healthCheck path", "healthz", () -> HealthCheck.http("healthz").build());
    refused(
        "healthCheck interval",
        "PT0S",
        () -> HealthCheck.http("/healthz").interval(Duration.ZERO).build());
    refused(
        "healthCheck unhealthyThreshold",
        "0",
        () -> HealthCheck.http("/healthz").unhealthyThreshold(0).build());
  }

  @Test
  void theEffectiveConfigurationShowsEveryDefault() {
    String dump = ServiceConfig.builder("mathoid").endpoints("10.0.0.1:80").build().toString();
    for (String expected :
        new String[] {
          "connect=5000 ms",
          "maxAttempts=2",
          "retriableStatuses=[502, 503, 504]",
          "backoff=25..250 ms",
          "ratio=0.2",
          "minRetriesPerSecond=10",
          "retries in any 10 s <= 0.2 x calls in it + reserve 100",
          "failureRate>=50.0%",
          "consecutive5xx=5",
          "maxEjectionPercent=10.0",
          "panicThreshold=50.0%",
          "maxRequests=1024"
        }) {
      assertTrue(dump.contains(expected), expected + " missing from " + dump);
    }
  }

  @Test
  void slowStartAndZoneAwareness() {
    refused("slowStart window", "PT0S", () -> dev.meshwork.core.policy.SlowStart.of(Duration.ZERO));
    refused(
        "slowStart window",
        "PT-1S",
        () -> dev.meshwork.core.policy.SlowStart.of(Duration.ofSeconds(-1)));
    refused("slowStart window", "null", () -> dev.meshwork.core.policy.SlowStart.of(null));
    refused(
        "slowStart aggression",
        "0.0",
        () ->
            dev.meshwork.core.policy.SlowStart.builder(Duration.ofSeconds(1))
                .aggression(0)
                .build());
    refused(
        "slowStart minWeightPercent",
        "0.0",
        () ->
            dev.meshwork.core.policy.SlowStart.builder(Duration.ofSeconds(1))
                .minWeightPercent(0)
                .build());
    refused(
        "slowStart minWeightPercent",
        "101.0",
        () ->
            dev.meshwork.core.policy.SlowStart.builder(Duration.ofSeconds(1))
                .minWeightPercent(101)
                .build());
    refused(
        "zoneAware minHealthyPercent",
        "0.0",
        () -> dev.meshwork.core.policy.ZoneAwareness.minHealthyPercent(0));
    refused(
        "zoneAware minHealthyPercent",
        "NaN",
        () -> dev.meshwork.core.policy.ZoneAwareness.minHealthyPercent(Double.NaN));
    refused(
        "localZone",
        " eqiad-a",
        () -> dev.meshwork.core.Mesh.builder().localZone(" eqiad-a").build());
    refused("localZone", "", () -> dev.meshwork.core.Mesh.builder().localZone("").build());
  }
}

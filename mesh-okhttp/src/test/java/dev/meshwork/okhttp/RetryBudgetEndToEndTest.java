package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every backend answers 503, every call would like two retries. The budget (20% of calls plus a
 * reserve of 1 retry/s over 10 s, so 10) bounds what reaches the servers. The breaker and outlier
 * detection are off ({@link Backends#plain}): either would stop the traffic before the budget is
 * exercised.
 */
class RetryBudgetEndToEndTest {
  private static final int CALLS = 200;
  private static final int RESERVE = 10;
  private static final Request GET = new Request.Builder().url("http://mathoid/render").build();

  private Backends backends;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @BeforeEach
  void start() {
    backends = new Backends(3);
    for (int i = 0; i < 3; i++) {
      backends.get(i).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    }
  }

  @AfterEach
  void stop() {
    backends.close();
  }

  private Mesh mesh(RetryBudget budget) {
    return Mesh.builder()
        .telemetry(Telemetry.builder().meterRegistry(registry).build())
        .service(
            "mathoid",
            s ->
                Backends.plain(s, backends.addresses())
                    .retries(
                        RetryPolicy.builder()
                            .maxAttempts(3)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                            .build())
                    .retryBudget(budget))
        .build();
  }

  @Test
  void theBudgetCapsAmplificationAndARefusedRetryReturnsTheLast503() throws IOException {
    RetryBudget budget =
        RetryBudget.builder()
            .ratio(0.2)
            .minRetriesPerSecond(1)
            .window(Duration.ofSeconds(10))
            .build();
    double refused;
    long start = System.nanoTime();
    try (Mesh mesh = mesh(budget)) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      for (int i = 0; i < CALLS; i++) {
        assertEquals(
            503,
            Backends.statusOf(client, GET),
            "a call ends with its last 503, retried or refused a retry");
      }
      refused = registry.get("mesh.retry.budget.refused").counter().count();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // The bound is exact while every call and retry stays inside one 10 s window; past that, old
    // calls leave the window and the arithmetic below would no longer be the budget's.
    assertTrue(
        elapsed.toSeconds() < 9,
        "run took " + elapsed + ", longer than the budget window allows to judge");
    int attempts = backends.totalRequests();
    assertTrue(
        attempts <= CALLS * 1.2 + RESERVE, "attempts " + attempts + " for " + CALLS + " calls");
    assertTrue(
        attempts >= CALLS + RESERVE, "the reserve was spent, retries did happen: " + attempts);
    assertTrue(refused > 0, "some calls were refused a retry, and the refusals counted");
  }

  @Test
  void withoutABudgetEveryCallTriesThreeTimesSoTheTestCanTell() throws IOException {
    try (Mesh mesh = mesh(RetryBudget.disabled())) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      for (int i = 0; i < CALLS; i++) {
        assertEquals(503, Backends.statusOf(client, GET));
      }
    }
    assertEquals(3 * CALLS, backends.totalRequests());
  }
}

package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Backends that die, slow down or fail, against real servers: the mesh ejects them and calls keep
 * succeeding.
 */
class BackendFailureTest {
  private static final Request GET = new Request.Builder().url("http://mathoid/render").build();

  private Backends backends;
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    backends.close();
  }

  private void healthy(int count, int... failing) {
    backends = new Backends(count);
    for (int i = 0; i < count; i++) {
      backends
          .get(i)
          .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("backend-" + i)));
    }
    for (int i : failing) {
      backends.get(i).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    }
  }

  @Test
  void aBackendKilledDuringAConcurrentRunLosesNoCallAndIsEjected() throws Exception {
    healthy(3);
    // Defaults but the spread and the back-off: 2 attempts, budget, breaker, and ejection after 5
    // gateway failures.
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.endpoints(backends.addresses())
                        .loadBalancer(LoadBalancers.roundRobin())
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                                .build()))
            .build();
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    String killed = backends.address(1);

    KillDuringRun.Result run =
        KillDuringRun.run(
            8,
            100,
            400,
            () -> backends.get(1).stop(),
            n -> {
              try {
                int status = Backends.statusOf(client, GET);
                return status == 200 ? null : "status " + status;
              } catch (IOException e) {
                return e.toString();
              }
            });

    assertEquals(List.of(), run.failures(), "failed calls out of " + run.completed());
    EndpointStatus dead = Backends.status(mesh, "mathoid", killed);
    assertTrue(dead.ejected(), "killed endpoint ejected: " + dead);
    long attemptsOnDead = dead.successes() + dead.failures();
    for (int i = 0; i < 30; i++) {
      assertEquals(200, Backends.statusOf(client, GET));
    }
    EndpointStatus later = Backends.status(mesh, "mathoid", killed);
    assertEquals(
        attemptsOnDead,
        later.successes() + later.failures(),
        "attempts sent to the ejected endpoint");
  }

  @Test
  void aSlowBackendIsEjectedWhileCallsKeepSucceeding() throws Exception {
    healthy(3);
    // Longer than the per-try timeout by far; WireMock answers after it, long after the client gave
    // up.
    backends
        .get(0)
        .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(2_000)));
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .perTryTimeout(Duration.ofMillis(200))
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                                .build())
                        .outlierDetection(
                            OutlierDetection.builder().consecutiveGatewayFailures(3).build()))
            .build();
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    String slow = backends.address(0);

    int calls = 0;
    // Round robin: every third first attempt hits the slow one, so 9 calls reach 3 timeouts; 30 is
    // a generous cap.
    while (!Backends.status(mesh, "mathoid", slow).ejected() && calls < 30) {
      assertEquals(
          200,
          Backends.statusOf(client, GET),
          "call " + calls + " (timed-out attempts are retried elsewhere)");
      calls++;
    }
    assertTrue(
        Backends.status(mesh, "mathoid", slow).ejected(),
        "slow endpoint ejected after " + calls + " calls: " + mesh.endpointStatus("mathoid"));
    int slowRequests = backends.requests(0);
    assertEquals(
        3, slowRequests, "the slow endpoint got exactly the 3 timed-out attempts that ejected it");
    for (int i = 0; i < 20; i++) {
      assertEquals(200, Backends.statusOf(client, GET));
    }
    assertEquals(slowRequests, backends.requests(0), "no traffic to the ejected endpoint");
  }

  @Test
  void theMaxEjectionCapHoldsWhenThreeOfFiveFail() throws Exception {
    assertEquals(1, ejectedAfterFailingCalls(20), "20% of 5 endpoints");
  }

  @Test
  void aHigherCapLetsAllThreeGoSoTheTestCanTell() throws Exception {
    assertEquals(3, ejectedAfterFailingCalls(60), "60% of 5 endpoints");
  }

  /**
   * Five backends, three always 503. Retries are off so every call is one attempt and a 503 that is
   * not ejected reaches the caller, visible. The breaker is off: at 60% failures it would open and
   * stop all traffic, hiding the cap.
   */
  private int ejectedAfterFailingCalls(double maxEjectionPercent) throws Exception {
    healthy(5, 0, 1, 2);
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .retries(RetryPolicy.disabled())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(3)
                                .consecutiveGatewayFailures(3)
                                .maxEjectionPercent(maxEjectionPercent)
                                .successRate(false, 5, 100, 1.9)
                                .build()))
            .build();
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    int served503 = 0;
    for (int i = 0; i < 100; i++) {
      if (Backends.statusOf(client, GET) == 503) {
        served503++;
      }
    }
    int ejected = 0;
    for (EndpointStatus status : mesh.endpointStatus("mathoid")) {
      if (status.ejected()) {
        ejected++;
        assertTrue(status.failures() > 0, "only failing endpoints are ejected: " + status);
      }
    }
    if (maxEjectionPercent < 40) {
      // Two failing endpoints stay in balancing all run: round robin sends them 2 of every 4 calls
      // after the ejection.
      assertTrue(served503 > 40, "503s served to callers: " + served503);
    }
    return ejected;
  }
}

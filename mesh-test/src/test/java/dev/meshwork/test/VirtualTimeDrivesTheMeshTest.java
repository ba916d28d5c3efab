package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Everything the mesh times runs on the test's clock: health checks, breaker windows, retry budget
 * windows and slow start move when the test moves time, and not otherwise. (Ejection and its end:
 * {@link OneFailingInstanceTest}; certificate renewal: {@link MeshChecklistTest}.)
 */
@MeshTest
class VirtualTimeDrivesTheMeshTest {

  @Test
  void healthChecksProbeOnVirtualTime(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
    mathoid.endpoint(3).script(s -> s.always().respond(503));
    OkHttpClient client =
        mesh.start(
                b ->
                    b.service(
                        "mathoid",
                        s ->
                            s.discovery(mathoid.discovery())
                                .outlierDetection(OutlierDetection.disabled())
                                .healthCheck(
                                    HealthCheck.http("/healthz")
                                        .interval(Duration.ofSeconds(5))
                                        .unhealthyThreshold(2)
                                        .healthyThreshold(2)
                                        .build())))
            .client();
    assertEquals(1, mathoid.endpoint(3).probes(), "the first round runs when the mesh starts");
    assertTrue(mathoid.endpoint(3).status().healthy(), "one failed probe of two needed");

    mesh.time().advance(Duration.ofSeconds(5));
    assertEquals(2, mathoid.endpoint(3).probes());
    assertFalse(mathoid.endpoint(3).status().healthy());
    int before = mathoid.endpoint(3).calls();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, Calls.get(client, "http://mathoid/"));
    }
    assertEquals(before, mathoid.endpoint(3).calls(), "an unhealthy instance gets no calls");

    mathoid.endpoint(3).heal();
    mesh.time().advance(Duration.ofSeconds(4));
    assertFalse(mathoid.endpoint(3).status().healthy(), "no round since the heal");
    mesh.time().advance(Duration.ofSeconds(6));
    assertTrue(mathoid.endpoint(3).status().healthy(), "two passed rounds, at +15 s and +20 s");
  }

  /**
   * Probes answered after a virtual delay longer than the interval: the delay moves time and runs
   * nothing, and a move runs only what is due by its own target, so rounds do not chain (each
   * round's probe would make the next one due, for ever).
   */
  @Test
  void probesOfADelayedInstanceMoveTimeWithoutChainingRounds(TestMesh mesh) {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(1));
    mathoid.endpoint(1).script(s -> s.always().delay(Duration.ofSeconds(8)));
    mesh.start(
        b ->
            b.service(
                "mathoid",
                s ->
                    s.discovery(mathoid.discovery())
                        .healthCheck(
                            HealthCheck.http("/healthz").interval(Duration.ofSeconds(5)).build())));
    assertEquals(1, mathoid.endpoint(1).probes());
    assertEquals(Duration.ofSeconds(8), mesh.time().elapsed(), "the first probe's answer");

    mesh.time().advance(Duration.ofSeconds(2)); // the round due at +5 s runs, late, at +8 s
    assertEquals(2, mathoid.endpoint(1).probes());
    assertEquals(
        Duration.ofSeconds(16),
        mesh.time().elapsed(),
        "its probe took 8 s more; the round due at +13 s waits for the next move");
    mesh.time().advance(Duration.ZERO);
    assertEquals(3, mathoid.endpoint(1).probes());
    assertEquals(Duration.ofSeconds(24), mesh.time().elapsed());
  }

  @Test
  void theBreakerOpensAndHalfOpensOnVirtualTime(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoints().forEach(e -> e.script(s -> s.always().respond(503)));
    OkHttpClient client =
        mesh.start(
                b ->
                    b.service(
                        "mathoid",
                        s ->
                            s.discovery(mathoid.discovery())
                                .retries(RetryPolicy.disabled())
                                .outlierDetection(OutlierDetection.disabled())
                                .circuitBreaker(
                                    CircuitBreakerPolicy.builder()
                                        .minimumCalls(4)
                                        .failureRateThreshold(50)
                                        .window(Duration.ofSeconds(10))
                                        .openDuration(Duration.ofSeconds(20))
                                        .halfOpenProbes(1)
                                        .build())))
            .client();
    for (int i = 0; i < 4; i++) {
      assertEquals(503, Calls.get(client, "http://mathoid/"));
    }
    assertThrows(MeshException.CircuitOpen.class, () -> Calls.get(client, "http://mathoid/"));
    CallAssert.assertCall(mesh.lastCall()).rejectedBecause("circuit_open").attempts(0);

    mathoid.endpoints().forEach(FakeEndpoint::heal);
    mesh.time().advance(Duration.ofSeconds(19));
    assertThrows(MeshException.CircuitOpen.class, () -> Calls.get(client, "http://mathoid/"));
    // resilience4j half-opens strictly after the open duration: at +20 s it still refuses.
    mesh.time().advance(Duration.ofSeconds(1).plusMillis(1));
    assertEquals(200, Calls.get(client, "http://mathoid/"), "half-open after 20 s: a probe call");
    assertEquals(200, Calls.get(client, "http://mathoid/"), "closed after the probe passed");
  }

  @Test
  void theRetryBudgetRefillsAsItsWindowMovesOnVirtualTime(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoints().forEach(e -> e.script(s -> s.always().respond(503)));
    OkHttpClient client =
        mesh.start(
                b ->
                    b.service(
                        "mathoid",
                        s ->
                            s.discovery(mathoid.discovery())
                                .outlierDetection(OutlierDetection.disabled())
                                .circuitBreaker(CircuitBreakerPolicy.disabled())
                                .retryBudget(
                                    RetryBudget.builder()
                                        .ratio(0)
                                        .minRetriesPerSecond(1)
                                        .window(Duration.ofSeconds(10))
                                        .build())))
            .client();
    for (int i = 0; i < 10; i++) {
      Calls.get(client, "http://mathoid/");
      CallAssert.assertCall(mesh.lastCall()).retriedBecause("status_503");
    }
    Calls.get(client, "http://mathoid/");
    CallAssert.assertCall(mesh.lastCall()).budgetRefused().notRetried();

    mesh.time().advance(Duration.ofSeconds(10));
    Calls.get(client, "http://mathoid/");
    CallAssert.assertCall(mesh.lastCall()).retriedBecause("status_503");
  }

  @Test
  void aNewInstanceRampsUpOverItsSlowStartOnVirtualTime(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    OkHttpClient client =
        mesh.start(
                b ->
                    b.service(
                        "mathoid",
                        s -> s.discovery(mathoid.discovery()).slowStart(Duration.ofSeconds(60))))
            .client();
    FakeEndpoint fresh = mathoid.replace(2);

    int early = callsTo(fresh, client, 60);
    mesh.time().advance(Duration.ofSeconds(60));
    int late = callsTo(fresh, client, 60);
    assertTrue(early < 15, "ramping up, the new instance gets little: " + early + " of 60");
    assertTrue(late > 20, "after its 60 s it gets its share: " + late + " of 60");
  }

  private static int callsTo(FakeEndpoint endpoint, OkHttpClient client, int calls)
      throws IOException {
    int before = endpoint.calls();
    for (int i = 0; i < calls; i++) {
      Calls.get(client, "http://mathoid/");
    }
    return endpoint.calls() - before;
  }
}

package dev.meshwork.core.internal.telemetry;

import static dev.meshwork.core.HedgedReplies.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.HedgedReplies;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.internal.pipeline.HeardDecisions;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Hedged attempts overlap, so the call's latest pick is often not the attempt a decision is about.
 * Latches force the overlap; the hedge delay is the only real time, and nothing waits on it.
 */
class HedgedDecisionsTest {

  private static Mesh mesh(int maxAttempts) {
    return Mesh.builder()
        .clock(new ManualClock())
        .service(
            "mathoid",
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                    .loadBalancer(LoadBalancers.roundRobin())
                    .hedging(Duration.ofMillis(1))
                    .outlierDetection(OutlierDetection.disabled())
                    .retries(
                        RetryPolicy.builder()
                            .maxAttempts(maxAttempts)
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                            .build()))
        .build();
  }

  /**
   * Gives the service's decisions to {@code before}, a fresh decision log, then {@code after};
   * returns the log.
   */
  private static DecisionLog logBetween(
      Mesh mesh, CallListener.Factory before, CallListener.Factory after) {
    ServiceRuntime runtime = Invokers.runtime(mesh, "mathoid");
    DecisionLog log = new DecisionLog(16, new ManualClock());
    runtime.addListeners(before);
    runtime.addListeners(log);
    runtime.addListeners(after);
    return log;
  }

  @Test
  void eachPickNamesItsOwnAttemptsEndpoint() throws IOException {
    try (Mesh mesh = mesh(2)) {
      // The first pick to be reported waits until the other attempt has picked too, so by the
      // time it reaches the log the call's latest pick is the other attempt's.
      CountDownLatch secondPicked = new CountDownLatch(1);
      AtomicInteger picks = new AtomicInteger();
      // The losing attempt may still be reporting when the call returns: wait until both are
      // logged.
      CountDownLatch bothLogged = new CountDownLatch(2);
      DecisionLog log =
          logBetween(
              mesh,
              HeardDecisions.of(
                  (kind, endpoint, detail) -> {
                    if (kind == DecisionKind.PICK) {
                      if (picks.getAndIncrement() == 0) {
                        await(secondPicked);
                      } else {
                        secondPicked.countDown();
                      }
                    }
                  }),
              HeardDecisions.of(
                  (kind, endpoint, detail) -> {
                    if (kind == DecisionKind.PICK) {
                      bothLogged.countDown();
                    }
                  }));
      HedgedReplies replies = new HedgedReplies(attempt -> 200);

      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies).status());
      await(bothLogged);

      List<Decision> picked =
          log.newestFirst().stream().filter(d -> d.kind().equals("PICK")).toList();
      assertEquals(2, picked.size(), picked.toString());
      for (Decision pick : picked) {
        assertTrue(
            pick.detail().startsWith(pick.endpoint().orElseThrow().address() + ": attempt "),
            pick.toString());
      }
      assertEquals(
          Set.of(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80)),
          Set.of(picked.get(0).endpoint().orElseThrow(), picked.get(1).endpoint().orElseThrow()));
    }
  }

  @Test
  void aRetriedAnswerNamesTheEndpointThatGaveIt() throws IOException {
    try (Mesh mesh = mesh(3)) {
      DecisionLog log = logBetween(mesh, CallListener.Factory.NONE, CallListener.Factory.NONE);
      CountDownLatch backupAnswerTaken = new CountDownLatch(1);
      // Attempt 0 answers 503 only after the caller took the backup's 503, so the race ends on
      // attempt 0's answer while the call's latest pick is the backup's endpoint.
      HedgedReplies replies =
          new HedgedReplies(
                  attempt -> {
                    if (attempt == 0) {
                      await(backupAnswerTaken);
                    }
                    return attempt < 2 ? 503 : 200;
                  })
              .whenTaken(1, backupAnswerTaken);

      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies).status());

      List<Decision> retries =
          log.newestFirst().stream()
              .filter(d -> d.kind().equals("RETRY") && d.detail().startsWith("status_503"))
              .toList();
      assertEquals(1, retries.size(), log.newestFirst().toString());
      Endpoint answeredBy = replies.sentTo.get(0);
      assertEquals(
          Optional.of(answeredBy),
          retries.get(0).endpoint(),
          "attempt 0 answered; attempt 1 went to " + replies.sentTo.get(1));
      assertTrue(
          retries.get(0).detail().contains("answered 503 from " + answeredBy.address()),
          retries.get(0).detail());
    }
  }
}

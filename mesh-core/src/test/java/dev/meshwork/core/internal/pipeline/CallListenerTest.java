package dev.meshwork.core.internal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The pipeline reports a call through one listener per call, in order: the call's start, its
 * decisions, each attempt's start, ejection and end, and the call's end.
 */
class CallListenerTest {

  /** Writes down every event it hears, one line each. */
  private static final class Events extends CallListener implements CallListener.Factory {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public CallListener newCall(CallContext call) {
      return this;
    }

    @Override
    public void returned(ServiceName service, EndpointState endpoint) {
      heard.add(service + " returned " + endpoint.address());
    }

    @Override
    public void callStart(CallContext call) {
      heard.add("callStart");
    }

    @Override
    public boolean records(CallContext call, DecisionKind kind) {
      return true;
    }

    @Override
    public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
      heard.add(kind + " " + detail.substring(0, detail.indexOf(':')));
    }

    @Override
    public void decision(AttemptState attempt, DecisionKind kind, String detail) {
      heard.add("attempt " + attempt.attempt() + " " + kind);
    }

    @Override
    public void attemptStart(AttemptState attempt) {
      heard.add("attemptStart " + attempt.attempt() + " " + attempt.endpoint().address());
    }

    @Override
    public void ejected(AttemptState attempt, EndpointState endpoint, String why) {
      heard.add("attempt " + attempt.attempt() + " ejected " + endpoint.address());
    }

    @Override
    public void attemptEnd(AttemptState attempt, int status, Throwable failure) {
      heard.add(
          "attemptEnd "
              + attempt.attempt()
              + " "
              + (failure == null ? status : failure.getClass().getSimpleName()));
    }

    @Override
    public void callEnd(CallContext call) {
      heard.add("callEnd");
    }

    @Override
    public void callFailed(CallContext call, Throwable failure) {
      heard.add("callFailed " + failure.getClass().getSimpleName());
    }
  }

  private final ManualClock clock = new ManualClock();

  private Mesh mesh(OutlierDetection detection) {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                    .loadBalancer(LoadBalancers.roundRobin())
                    .circuitBreaker(CircuitBreakerPolicy.disabled())
                    .outlierDetection(detection)
                    .retries(
                        RetryPolicy.builder()
                            .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                            .build()))
        .build();
  }

  private static Events listen(Mesh mesh) {
    Events events = new Events();
    Invokers.runtime(mesh, "mathoid").addListeners(events);
    return events;
  }

  @Test
  void aRetriedCallIsHeardInOrder() throws IOException {
    try (Mesh mesh = mesh(OutlierDetection.disabled())) {
      Events events = listen(mesh);
      ScriptedExchange exchange =
          new ScriptedExchange((endpoint, attempt) -> attempt.attempt() == 0 ? 503 : 200);

      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));

      assertEquals(
          List.of(
              "callStart",
              "attempt 0 PICK",
              "attemptStart 0 10.0.0.1:80",
              "attemptEnd 0 503",
              "RETRY status_503",
              "attempt 1 PICK",
              "attemptStart 1 10.0.0.2:80",
              "attemptEnd 1 200",
              "callEnd"),
          events.heard);
    }
  }

  @Test
  void anEjectionComesInsideTheAttemptThatCausedItAndAFailedCallSaysSo() {
    try (Mesh mesh =
        mesh(
            OutlierDetection.builder()
                .consecutive5xx(1)
                .maxEjectionPercent(100)
                .interval(Duration.ofHours(1))
                .build())) {
      Events events = listen(mesh);
      ScriptedExchange exchange =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                throw new ConnectException("Connection refused");
              });

      assertThrows(
          MeshException.EndpointFailed.class,
          () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));

      assertEquals(
          List.of(
              "callStart",
              "attempt 0 PICK",
              "attemptStart 0 10.0.0.1:80",
              "attempt 0 ejected 10.0.0.1:80",
              "attemptEnd 0 EndpointFailed",
              "RETRY connect_failure",
              "attempt 1 PICK",
              "attemptStart 1 10.0.0.2:80",
              "attempt 1 ejected 10.0.0.2:80",
              "attemptEnd 1 EndpointFailed",
              "callFailed EndpointFailed"),
          events.heard);

      // Returns are the detector's own decision, outside any call: the factory hears them.
      events.heard.clear();
      clock.advance(Duration.ofSeconds(30));
      Invokers.runtime(mesh, "mathoid").outliers().sweep();
      assertEquals(
          List.of("mathoid returned 10.0.0.1:80", "mathoid returned 10.0.0.2:80"), events.heard);
    }
  }
}

package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.internal.pipeline.HeardDecisions;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.GlobalOpenTelemetry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The telemetry settings, and the call listener feeding several consumers. */
class TelemetryConfigTest {

  /** A consumer that keeps what it hears, like the admin endpoint's decision buffer. */
  private static final class Recorder implements HeardDecisions.Hearing {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void decision(DecisionKind kind, Endpoint endpoint, String detail) {
      heard.add(kind + " " + detail);
    }
  }

  @Test
  void buildRefusesBadValuesNamingTheField() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class, () -> Telemetry.builder().endpointTagLimit(-1).build());
    assertEquals(
        "telemetry endpointTagLimit: '-1' is invalid; expected zero or more", e.getMessage());
    e =
        assertThrows(
            MeshConfigException.class, () -> Telemetry.builder().openTelemetry(null).build());
    assertEquals("telemetry openTelemetry", e.field());
  }

  @Test
  void theDefaultRecordsNothing() {
    assertFalse(Telemetry.disabled().enabled());
    assertFalse(Telemetry.builder().build().enabled());
    assertTrue(Telemetry.builder().meterRegistry(new SimpleMeterRegistry()).build().enabled());
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("10.0.0.1:80")).build()) {
      assertSame(Telemetry.disabled(), mesh.telemetry());
      ServiceRuntime runtime = Invokers.runtime(mesh, "mathoid");
      assertSame(
          CallListener.Factory.NONE, runtime.listeners(), "no listener work without telemetry");
    }
  }

  @Test
  void theGlobalOpenTelemetryWithoutAnSdkTracesNothing() {
    // What an application passes when the SDK may or may not be installed; here none is.
    Telemetry global = Telemetry.builder().openTelemetry(GlobalOpenTelemetry.get()).build();
    try (Mesh mesh =
        Mesh.builder()
            .telemetry(global)
            .service("mathoid", s -> s.endpoints("10.0.0.1:80"))
            .build()) {
      assertSame(
          CallListener.Factory.NONE,
          Invokers.runtime(mesh, "mathoid").listeners(),
          "nothing to trace, nothing to meter");
    }
  }

  @Test
  void everyAddedConsumerHearsTheDecisionsAlongsideTheMeters() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Mesh mesh =
        Mesh.builder()
            .clock(new ManualClock())
            .telemetry(Telemetry.builder().meterRegistry(registry).build())
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .loadBalancer(LoadBalancers.roundRobin())
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                                .build()))
            .build()) {
      ServiceRuntime runtime = Invokers.runtime(mesh, "mathoid");
      Recorder recorder = new Recorder();
      runtime.addListeners(HeardDecisions.of(recorder));
      ScriptedExchange exchange =
          new ScriptedExchange((endpoint, attempt) -> attempt.attempt() == 0 ? 503 : 200);

      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(new GetRequest("/render"), exchange));

      assertEquals(3, recorder.heard.size(), recorder.heard.toString());
      assertTrue(
          recorder.heard.get(0).startsWith("PICK 10.0.0.1:80: attempt 0 by round_robin among 2"),
          recorder.heard.toString());
      assertTrue(
          recorder
              .heard
              .get(1)
              .startsWith("RETRY status_503: attempt 1 answered 503 from 10.0.0.1:80"),
          recorder.heard.toString());
      assertTrue(
          recorder.heard.get(2).startsWith("PICK 10.0.0.2:80: attempt 1"),
          recorder.heard.toString());
      assertEquals(
          1.0,
          registry.get("mesh.retries").tag("reason", "status_503").counter().count(),
          "the meters heard it too");
    }
  }

  @Test
  void composingKeepsOrderAndDropsNone() {
    Recorder a = new Recorder();
    Recorder b = new Recorder();
    HeardDecisions heardByA = HeardDecisions.of(a);
    assertSame(heardByA, CallListener.Factory.compose(CallListener.Factory.NONE, heardByA));
    CallListener both = CallListener.Factory.compose(heardByA, HeardDecisions.of(b)).newCall(null);
    both.decision((CallContext) null, DecisionKind.ROUTE, null, "split: route r -> subset v2");
    assertEquals(List.of("ROUTE split: route r -> subset v2"), a.heard);
    assertEquals(a.heard, b.heard);
    assertFalse(CallListener.NONE.records((CallContext) null, DecisionKind.PICK));
    assertTrue(both.records((CallContext) null, DecisionKind.PICK));
  }
}

package dev.meshwork.core.internal.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A traced service builds a decision's detail only for calls whose span records it, unless another
 * consumer (metrics, the admin decision log) wants it anyway. Each call here answers 503 and is
 * retried, so a RETRY detail is due between its attempts.
 */
class SampledDecisionDetailsTest {
  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;
  private Mesh mesh;

  /**
   * What the call said, when asked whether to build a detail of {@code kind}: in each attempt, then
   * after them.
   */
  private final List<Boolean> asked = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    mesh.close();
    sdk.close();
  }

  private ServiceRuntime service(Sampler sampler, Consumer<Telemetry.Builder> more) {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(sampler)
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    Telemetry.Builder telemetry = Telemetry.builder().openTelemetry(sdk);
    more.accept(telemetry);
    mesh =
        Mesh.builder()
            .clock(new ManualClock())
            .telemetry(telemetry.build())
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(1))
                                .build()))
            .build();
    return Invokers.runtime(mesh, "mathoid");
  }

  /**
   * Runs one call under a caller's span, asking it about {@code kind} during each attempt and after
   * both.
   */
  @SuppressWarnings("try") // the scope is what makes the caller's span current
  private void callAsking(DecisionKind kind) throws IOException {
    AtomicReference<CallContext> call = new AtomicReference<>();
    ScriptedExchange exchange =
        new ScriptedExchange(
            (endpoint, attempt) -> {
              call.set(((AttemptState) attempt).call());
              asked.add(call.get().records(kind));
              return attempt.attempt() == 0 ? 503 : 200;
            });
    Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
    try (Scope scope = caller.makeCurrent()) {
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      // Between attempts the call has no attempt span: a decision then belongs on the caller's
      // span.
      asked.add(call.get().records(kind));
    } finally {
      caller.end();
    }
  }

  @Test
  void anUnsampledCallBuildsNoDetailForTracesAlone() throws IOException {
    service(Sampler.alwaysOff(), t -> {});
    callAsking(DecisionKind.RETRY);
    assertEquals(List.of(false, false, false), asked);
    assertEquals(List.of(), exporter.getFinishedSpanItems());
  }

  @Test
  void aSampledCallBuildsItAndItsSpanGetsIt() throws IOException {
    service(Sampler.alwaysOn(), t -> {});
    callAsking(DecisionKind.RETRY);
    assertEquals(List.of(true, true, true), asked);
    SpanData caller =
        exporter.getFinishedSpanItems().stream()
            .filter(s -> s.getName().equals("caller"))
            .findFirst()
            .orElseThrow();
    assertTrue(
        caller.getEvents().stream()
            .anyMatch(
                e ->
                    e.getName().equals("mesh.retry")
                        && e.getAttributes()
                            .get(AttemptTracer.MESH_DETAIL)
                            .startsWith("status_503: attempt 1 answered 503")),
        caller.toString());
  }

  @Test
  void theDecisionLogWantsEveryCallsDetailsSampledOrNot() throws IOException {
    service(Sampler.alwaysOff(), t -> {}).addListeners(new DecisionLog(16, new ManualClock()));
    callAsking(DecisionKind.ROUTE);
    assertEquals(List.of(true, true, true), asked);
  }

  @Test
  void metersWantTheKindsTheyCountSampledOrNot() throws IOException {
    service(Sampler.alwaysOff(), t -> t.meterRegistry(new SimpleMeterRegistry()));
    callAsking(DecisionKind.RETRY);
    callAsking(DecisionKind.ROUTE);
    assertEquals(List.of(true, true, true, false, false, false), asked);
  }
}

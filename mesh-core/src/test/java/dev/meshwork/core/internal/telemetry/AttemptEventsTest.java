package dev.meshwork.core.internal.telemetry;

import static dev.meshwork.core.HedgedReplies.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.HedgedReplies;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.internal.pipeline.HeardDecisions;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A decision made inside an attempt becomes an event on that attempt's own span (or the caller's,
 * before the attempt has one); a decision about the call goes on the caller's span. A hedged call
 * runs two attempts at once, so "the attempt in progress" names no single span. Latches order the
 * attempts; the hedge delay is the only real time, and nothing waits on it.
 */
class AttemptEventsTest {
  private static final Duration HEDGE_DELAY = Duration.ofMillis(1);

  private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
  private OpenTelemetrySdk sdk;

  @AfterEach
  void close() {
    sdk.close();
  }

  /**
   * Sends attempt n to candidate n (round the list); attempt {@code held} picks only once {@code
   * release} opened.
   */
  private record Ordered(int held, CountDownLatch release)
      implements LoadBalancerFactory, LoadBalancer {
    @Override
    public LoadBalancer create(ServiceName service, MeshClock clock) {
      return this;
    }

    @Override
    public String name() {
      return "ordered";
    }

    @Override
    public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
      if (context.attempt() == held) {
        await(release);
      }
      return candidates.get(context.attempt() % candidates.size());
    }
  }

  private Mesh mesh(Consumer<ServiceConfig.Builder> service) {
    return mesh(Sampler.alwaysOn(), service);
  }

  private Mesh mesh(Sampler sampler, Consumer<ServiceConfig.Builder> service) {
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setSampler(sampler)
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                    .build())
            .build();
    return Mesh.builder()
        .clock(new ManualClock())
        .telemetry(Telemetry.builder().openTelemetry(sdk).build())
        .service("mathoid", s -> service.accept(s.hedging(HEDGE_DELAY)))
        .build();
  }

  /** Runs one call under a caller's span, ended before this returns. */
  @SuppressWarnings("try") // the scope is what makes the caller's span current
  private int call(Mesh mesh, HedgedReplies replies) throws IOException {
    Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
    try (Scope scope = caller.makeCurrent()) {
      return Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), replies).status();
    } finally {
      caller.end();
    }
  }

  /**
   * The finished span of attempt {@code attempt} (told apart by its resend count), or the caller's
   * for -1.
   */
  private SpanData span(int attempt) {
    Long resends = attempt > 0 ? Long.valueOf(attempt) : null;
    return exporter.getFinishedSpanItems().stream()
        .filter(
            s ->
                attempt < 0
                    ? s.getName().equals("caller")
                    : s.getKind() == SpanKind.CLIENT
                        && Objects.equals(
                            resends, s.getAttributes().get(AttemptTracer.RESEND_COUNT)))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no span of attempt " + attempt + " in " + exporter.getFinishedSpanItems()));
  }

  /** The details of {@code span}'s events named {@code event}. */
  private static List<String> details(SpanData span, String event) {
    return span.getEvents().stream()
        .filter(e -> e.getName().equals(event))
        .map(e -> e.getAttributes().get(AttemptTracer.MESH_DETAIL))
        .toList();
  }

  @Test
  void anEjectionTheBackupCausedIsAnEventOnTheBackupsSpan() throws IOException {
    CountDownLatch backupSent = new CountDownLatch(1);
    CountDownLatch firstSent = new CountDownLatch(1);
    CountDownLatch backupTaken = new CountDownLatch(1);
    // The first attempt picks, and so starts its span, only once the backup is sending: when the
    // backup's 503 ejects its endpoint, the first attempt's span is the newer one, still open.
    HedgedReplies replies =
        new HedgedReplies(
                attempt -> {
                  if (attempt == 0) {
                    firstSent.countDown();
                    await(backupTaken);
                    return 200;
                  }
                  backupSent.countDown();
                  await(firstSent);
                  return 503;
                })
            .whenTaken(1, backupTaken);
    try (Mesh mesh =
        mesh(
            s ->
                s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                    .loadBalancer(new Ordered(0, backupSent))
                    .outlierDetection(OutlierDetection.builder().consecutive5xx(1).build()))) {
      assertEquals(200, call(mesh, replies));
    }

    List<String> onBackup = details(span(1), "mesh.ejection");
    assertEquals(1, onBackup.size(), span(1).toString());
    assertTrue(
        onBackup.get(0).startsWith("ejected: " + replies.sentTo.get(1).address() + " "),
        onBackup.get(0));
    assertEquals(
        List.of(), details(span(0), "mesh.ejection"), "the first attempt's endpoint answered 200");
    assertEquals(List.of(), details(span(-1), "mesh.ejection"));
  }

  @Test
  void aBackupRefusedBeforeItHasASpanLeavesItsEventOnTheCallersSpan() throws IOException {
    CountDownLatch firstSent = new CountDownLatch(1);
    CountDownLatch rejected = new CountDownLatch(1);
    // One endpoint, one connection: the backup picks only once the first attempt holds it, and is
    // refused (endpoint_limit) while the first attempt's span is open.
    HedgedReplies replies =
        new HedgedReplies(
            attempt -> {
              firstSent.countDown();
              await(rejected);
              return 200;
            });
    try (Mesh mesh =
        mesh(
            s ->
                s.endpoints("10.0.0.1:80")
                    .loadBalancer(new Ordered(1, firstSent))
                    .limits(new ConcurrencyLimits(1024, 1024, 1)))) {
      // Added after the traces, so the first attempt answers only once the refusal is an event.
      Invokers.runtime(mesh, "mathoid")
          .addListeners(
              HeardDecisions.of(
                  (kind, endpoint, detail) -> {
                    if (kind == DecisionKind.REJECTED) {
                      rejected.countDown();
                    }
                  }));
      assertEquals(200, call(mesh, replies));
    }

    SpanData caller = span(-1);
    assertEquals(1, details(caller, "mesh.rejected").size(), caller.toString());
    assertTrue(
        details(caller, "mesh.rejected").get(0).startsWith("endpoint_limit: "), caller.toString());
    assertEquals(List.of(), details(span(0), "mesh.rejected"), "the first attempt was not refused");
    // The hedge is the call's choice too, made while the first attempt runs.
    assertTrue(details(caller, "mesh.retry").get(0).startsWith("hedge: "), caller.toString());
    assertEquals(List.of(), details(span(0), "mesh.retry"));
  }

  @Test
  void whetherToDetailAnEjectionIsAskedOfTheSpanItWillGoOn() throws IOException {
    // The mesh's attempt spans are sampled, the caller's span is not: an ejection's detail is
    // wanted, since its event goes on the attempt's span, whatever the caller's says.
    Sampler attemptsOnly =
        new Sampler() {
          @Override
          public SamplingResult shouldSample(
              Context parent,
              String traceId,
              String name,
              SpanKind kind,
              Attributes attributes,
              List<LinkData> links) {
            return kind == SpanKind.CLIENT
                ? SamplingResult.recordAndSample()
                : SamplingResult.drop();
          }

          @Override
          public String getDescription() {
            return "attempts only";
          }
        };
    try (Mesh mesh =
        mesh(
            attemptsOnly,
            s ->
                s.endpoints("10.0.0.1:80")
                    .retries(RetryPolicy.builder().maxAttempts(1).build())
                    .outlierDetection(OutlierDetection.builder().consecutive5xx(1).build()))) {
      assertEquals(503, call(mesh, new HedgedReplies(attempt -> 503)));
    }

    List<String> ejections = details(span(0), "mesh.ejection");
    assertEquals(1, ejections.size(), span(0).toString());
    assertTrue(ejections.get(0).startsWith("ejected: 10.0.0.1:80 "), ejections.get(0));
  }
}

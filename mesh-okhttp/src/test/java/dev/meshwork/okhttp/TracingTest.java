package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.junit5.OpenTelemetryExtension;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import retrofit2.Call;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Path;

/**
 * Attempt spans and trace propagation against real WireMock backends, exported to the SDK's
 * in-memory exporter.
 */
class TracingTest {
  @RegisterExtension static final OpenTelemetryExtension otel = OpenTelemetryExtension.create();

  @MeshService("mathoid")
  interface MathoidApi {
    @GET("render/{format}")
    Call<String> render(@Path("format") String format);
  }

  private static final TextMapGetter<Map<String, String>> MAP =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };

  private Backends backends;
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    backends.close();
  }

  /**
   * Backends answering {@code statuses[i]}, one service over them in round robin with two attempts
   * per call.
   */
  private OkHttpClient mesh(int... statuses) {
    backends = new Backends(statuses.length);
    for (int i = 0; i < statuses.length; i++) {
      backends
          .get(i)
          .stubFor(
              any(anyUrl())
                  .willReturn(aResponse().withStatus(statuses[i]).withBody("backend-" + i)));
    }
    mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().openTelemetry(otel.getOpenTelemetry()).build())
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                                .build()))
            .build();
    return MeshOkHttp.of(mesh).client();
  }

  private static List<SpanData> clientSpans() {
    return otel.getSpans().stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
  }

  @Test
  void eachAttemptIsAClientSpanAndRetriesAreSiblingsUnderTheCallersSpan() throws Exception {
    OkHttpClient client = mesh(503, 200);
    Span caller = otel.getOpenTelemetry().getTracer("test").spanBuilder("caller").startSpan();
    try (Scope ignored = caller.makeCurrent()) {
      assertEquals(
          200,
          Backends.statusOf(
              client,
              new Request.Builder().url("http://mathoid/render/svg?format=mathml").build()));
    } finally {
      caller.end();
    }

    List<SpanData> attempts = clientSpans();
    assertEquals(2, attempts.size(), "one span per attempt: " + attempts);
    SpanData first = attempts.get(0);
    SpanData retry = attempts.get(1);
    for (SpanData attempt : attempts) {
      assertEquals(caller.getSpanContext().getTraceId(), attempt.getTraceId());
      assertEquals(
          caller.getSpanContext().getSpanId(),
          attempt.getParentSpanId(),
          "siblings under the caller's span");
      assertEquals("GET", attempt.getName());
      assertEquals(
          "GET", attempt.getAttributes().get(AttributeKey.stringKey("http.request.method")));
      assertEquals(
          "127.0.0.1", attempt.getAttributes().get(AttributeKey.stringKey("server.address")));
      assertEquals("mathoid", attempt.getAttributes().get(AttributeKey.stringKey("mesh.service")));
    }
    assertEquals(
        backends.get(0).port(), first.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(
        "http://" + backends.address(0) + "/render/svg?format=mathml",
        first.getAttributes().get(AttributeKey.stringKey("url.full")));
    assertEquals(
        503L, first.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals("503", first.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals(StatusCode.ERROR, first.getStatus().getStatusCode());
    assertNull(
        first.getAttributes().get(AttributeKey.longKey("http.request.resend_count")),
        "the first attempt is no resend");

    assertEquals(
        backends.get(1).port(), retry.getAttributes().get(AttributeKey.longKey("server.port")));
    assertEquals(
        200L, retry.getAttributes().get(AttributeKey.longKey("http.response.status_code")));
    assertEquals(1L, retry.getAttributes().get(AttributeKey.longKey("http.request.resend_count")));
    assertNull(retry.getAttributes().get(AttributeKey.stringKey("error.type")));
    assertEquals("mesh.pick", retry.getEvents().get(0).getName());
    assertEquals(
        backends.address(1),
        retry.getEvents().get(0).getAttributes().get(AttributeKey.stringKey("server.address")));

    // The retry was decided between the attempts: an event on the caller's span, with its reason
    // first.
    SpanData callerData =
        otel.getSpans().stream()
            .filter(s -> s.getName().equals("caller"))
            .findFirst()
            .orElseThrow();
    EventData retried =
        callerData.getEvents().stream()
            .filter(e -> e.getName().equals("mesh.retry"))
            .findFirst()
            .orElseThrow();
    String detail = retried.getAttributes().get(AttributeKey.stringKey("mesh.detail"));
    assertTrue(
        detail.startsWith("status_503: attempt 1 answered 503 from " + backends.address(0)),
        detail);
  }

  @Test
  void theBackendReceivesTheAttemptSpansTraceContext() throws Exception {
    OkHttpClient client = mesh(200);
    assertEquals(
        200, Backends.statusOf(client, new Request.Builder().url("http://mathoid/render").build()));

    SpanData attempt = clientSpans().get(0);
    assertCarries(attempt, onlyRequest(0).getRequest().getHeader("traceparent"));
    assertFalse(
        attempt.getParentSpanContext().isValid(), "no caller span: the attempt starts the trace");
  }

  @Test
  void aMalformedUpstreamTraceparentLeavesTheCallWorking() throws Exception {
    OkHttpClient client = mesh(200);
    // What a server does with an upstream's header before calling on: extract, make current. The
    // header is garbage.
    Context upstream =
        otel.getOpenTelemetry()
            .getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), Map.of("traceparent", "00-not-a-trace-id-zz"), MAP);
    try (Scope ignored = upstream.makeCurrent()) {
      // The logical request even carries a broken traceparent of its own; the attempt's replaces
      // it.
      Request request =
          new Request.Builder()
              .url("http://mathoid/render")
              .header("traceparent", "garbage")
              .build();
      assertEquals(200, Backends.statusOf(client, request));
    }

    SpanData attempt = clientSpans().get(0);
    assertFalse(
        attempt.getParentSpanContext().isValid(),
        "an unreadable upstream context starts a new trace");
    assertCarries(attempt, onlyRequest(0).getRequest().getHeader("traceparent"));
  }

  @Test
  void urlFullCarriesNoCredentials() throws Exception {
    OkHttpClient client = mesh(200);
    Request request =
        new Request.Builder()
            .url(
                "http://alice:s3cret@mathoid/render?token=abc123&format=svg&sig=xyz789&X-Goog-Signature=q")
            .build();
    assertEquals(200, Backends.statusOf(client, request));

    SpanData attempt = clientSpans().get(0);
    assertEquals(
        "http://"
            + backends.address(0)
            + "/render?token=REDACTED&format=svg&sig=REDACTED&X-Goog-Signature=REDACTED",
        attempt.getAttributes().get(AttributeKey.stringKey("url.full")));
    String everything = attempt.toString();
    for (String secret : List.of("alice", "s3cret", "abc123", "xyz789")) {
      assertFalse(everything.contains(secret), secret + " leaked into " + everything);
    }
  }

  @Test
  void aRetrofitCallNamesItsSpanAfterThePathTemplate() throws Exception {
    mesh(200);
    MathoidApi api =
        MeshOkHttp.of(mesh)
            .create(MathoidApi.class, b -> b.addConverterFactory(ScalarsConverterFactory.create()));
    assertEquals("backend-0", api.render("svg").execute().body());

    SpanData attempt = clientSpans().get(0);
    assertEquals("GET /render/{format}", attempt.getName());
    assertEquals(
        "/render/{format}", attempt.getAttributes().get(AttributeKey.stringKey("url.template")));
    assertEquals(
        "http://" + backends.address(0) + "/render/svg",
        attempt.getAttributes().get(AttributeKey.stringKey("url.full")));
  }

  @Test
  void hedgedAttemptsOnOtherThreadsAreStillChildrenOfTheCallersSpan() throws Exception {
    backends = new Backends(2);
    backends
        .get(0)
        .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
    backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().openTelemetry(otel.getOpenTelemetry()).build())
            .service(
                "mathoid",
                s -> Backends.plain(s, backends.addresses()).hedging(Duration.ofMillis(50)))
            .build();
    Span caller = otel.getOpenTelemetry().getTracer("test").spanBuilder("caller").startSpan();
    try (Scope ignored = caller.makeCurrent()) {
      assertEquals(
          200,
          Backends.statusOf(
              MeshOkHttp.of(mesh).client(),
              new Request.Builder().url("http://mathoid/render").build()));
    } finally {
      caller.end();
    }

    // The losing attempt ends when its cancellation lands on its hedge thread.
    Backends.await(
        () -> clientSpans().size() == 2,
        Duration.ofSeconds(10),
        () -> "two attempt spans: " + clientSpans());
    for (SpanData attempt : clientSpans()) {
      assertEquals(
          caller.getSpanContext().getSpanId(), attempt.getParentSpanId(), attempt.toString());
    }
    SpanData backup =
        clientSpans().stream()
            .filter(
                s ->
                    Long.valueOf(backends.get(1).port())
                        .equals(s.getAttributes().get(AttributeKey.longKey("server.port"))))
            .findFirst()
            .orElseThrow();
    assertEquals(1L, backup.getAttributes().get(AttributeKey.longKey("http.request.resend_count")));
    assertCarries(
        backup,
        onlyRequest(1)
            .getRequest()
            .getHeader("traceparent")); // hedged sends carry their attempt's context
  }

  @Test
  void anEjectionTheAttemptCausedIsAnEventOnItsSpan() throws Exception {
    backends = new Backends(2);
    backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().openTelemetry(otel.getOpenTelemetry()).build())
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                                .build())
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(1)
                                .consecutiveGatewayFailures(1)
                                .build()))
            .build();
    assertEquals(
        200,
        Backends.statusOf(
            MeshOkHttp.of(mesh).client(),
            new Request.Builder().url("http://mathoid/render").build()));

    SpanData failed = clientSpans().get(0);
    EventData ejected =
        failed.getEvents().stream()
            .filter(e -> e.getName().equals("mesh.ejection"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no ejection event: " + failed.getEvents()));
    String detail = ejected.getAttributes().get(AttributeKey.stringKey("mesh.detail"));
    assertTrue(
        detail.startsWith("ejected: " + backends.address(0) + " for 30000 ms (ejection #1): "),
        detail);
  }

  @Test
  void anUnsampledAttemptRecordsNothingButPropagatesTheDecision() throws Exception {
    backends = new Backends(1);
    backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .setSampler(Sampler.alwaysOff())
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      OpenTelemetrySdk sdk =
          OpenTelemetrySdk.builder()
              .setTracerProvider(tracing)
              .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
              .build();
      mesh =
          Mesh.builder()
              .telemetry(Telemetry.builder().openTelemetry(sdk).build())
              .service("mathoid", s -> Backends.plain(s, backends.addresses()))
              .build();
      assertEquals(
          200,
          Backends.statusOf(
              MeshOkHttp.of(mesh).client(),
              new Request.Builder().url("http://mathoid/render").build()));
      assertEquals(List.of(), exporter.getFinishedSpanItems());
      String traceparent = onlyRequest(0).getRequest().getHeader("traceparent");
      assertEquals(
          0,
          Integer.parseInt(traceparent.split("-")[3], 16) & 1,
          "not sampled, and says so: " + traceparent);
    }
  }

  @Test
  void anSdkWithoutPropagatorsStillSendsTheAttemptsContextInW3cTraceparent() throws Exception {
    backends = new Backends(1);
    backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    try (SdkTracerProvider tracing =
        SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build()) {
      OpenTelemetrySdk sdk =
          OpenTelemetrySdk.builder().setTracerProvider(tracing).build(); // no setPropagators
      assertTrue(
          sdk.getPropagators().getTextMapPropagator().fields().isEmpty(),
          "the SDK propagates nothing itself");
      mesh =
          Mesh.builder()
              .telemetry(Telemetry.builder().openTelemetry(sdk).build())
              .service("mathoid", s -> Backends.plain(s, backends.addresses()))
              .build();

      assertEquals(
          200,
          Backends.statusOf(
              MeshOkHttp.of(mesh).client(),
              new Request.Builder().url("http://mathoid/render").build()));

      SpanData attempt =
          exporter.getFinishedSpanItems().stream()
              .filter(s -> s.getKind() == SpanKind.CLIENT)
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no attempt span: " + exporter.getFinishedSpanItems()));
      assertCarries(attempt, onlyRequest(0).getRequest().getHeader("traceparent"));
    }
  }

  /**
   * {@code traceparent} names {@code span}'s trace and span, sampled (flags may add W3C level 2's
   * random-id bit).
   */
  private static void assertCarries(SpanData span, String traceparent) {
    String[] parts = traceparent.split("-");
    assertEquals(4, parts.length, traceparent);
    assertEquals(
        List.of("00", span.getTraceId(), span.getSpanId()),
        List.of(parts[0], parts[1], parts[2]),
        traceparent);
    assertEquals(1, Integer.parseInt(parts[3], 16) & 1, "sampled flag in " + traceparent);
  }

  private ServeEvent onlyRequest(int backend) {
    List<ServeEvent> events = backends.get(backend).getAllServeEvents();
    assertEquals(1, events.size(), "requests to backend " + backend);
    return events.get(0);
  }
}

package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the trace context a service receives ({@code traceparent}, {@code tracestate}) and hands
 * on through its mesh calls. The mesh parses neither header itself: the application extracts them
 * with OpenTelemetry's W3C propagator, and the mesh injects each attempt's context. Whatever came
 * in, every attempt carries a well-formed {@code traceparent} (continuing a valid incoming trace,
 * with its sampling decision, or starting a new one) and a {@code tracestate} of printable ASCII
 * only, so hostile input can neither break the call nor smuggle a header line. Input: the
 * traceparent on the first line, the tracestate after it. Seeds: {@code
 * src/test/resources/dev/meshwork/core/TraceContextFuzzTestInputs}.
 */
class TraceContextFuzzTest {
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e]*");
  private static final TextMapGetter<Map<String, String>> GETTER =
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

  private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();

  // No propagators configured: the mesh falls back to W3C trace context.
  private static final OpenTelemetrySdk SDK =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(SPANS))
                  .build())
          .build();
  private static final Mesh MESH =
      Mesh.builder()
          .telemetry(Telemetry.builder().openTelemetry(SDK).build())
          .service("mathoid", s -> s.endpoints("10.0.0.1:80").retries(RetryPolicy.disabled()))
          .build();

  @AfterAll
  static void close() {
    MESH.close();
    SDK.close();
  }

  /** Remembers the headers the pipeline asked the transport to set. */
  private static final class Capturing implements Exchange<Integer> {
    Map<String, String> headers;

    @Override
    public Integer send(Endpoint endpoint, AttemptContext attempt) {
      headers = Map.copyOf(attempt.headers());
      return 200;
    }

    @Override
    public int status(Integer response) {
      return response;
    }

    @Override
    public void discard(Integer response) {}
  }

  @FuzzTest
  void traceparent(byte[] input) throws IOException {
    String[] lines = new String(input, StandardCharsets.UTF_8).split("\n", 2);
    Map<String, String> incoming = new HashMap<>();
    incoming.put("traceparent", lines[0]);
    if (lines.length > 1) {
      incoming.put("tracestate", lines[1]);
    }
    Context extracted =
        W3CTraceContextPropagator.getInstance().extract(Context.root(), incoming, GETTER);
    SpanContext parent = Span.fromContext(extracted).getSpanContext();

    Capturing exchange = new Capturing();
    try (Scope scope = extracted.makeCurrent()) {
      assertEquals(200, Invokers.of(MESH, "mathoid").invoke(TestRequest.get(), exchange));
    }
    SPANS.reset();
    String traceparent = exchange.headers.get("traceparent");
    assertNotNull(traceparent, "every attempt carries a traceparent: " + exchange.headers);
    var parts = TRACEPARENT.matcher(traceparent);
    assertTrue(parts.matches(), "well-formed traceparent '" + traceparent + "'");
    assertNotEquals("0".repeat(32), parts.group(1), "a valid trace id");
    assertNotEquals("0".repeat(16), parts.group(2), "a valid span id");
    if (parent.isValid()) {
      assertEquals(parent.getTraceId(), parts.group(1), "the incoming trace continues");
      assertNotEquals(parent.getSpanId(), parts.group(2), "each attempt is a span of its own");
      assertEquals(
          parent.isSampled(),
          (Integer.parseInt(parts.group(3), 16) & 1) == 1,
          "the sampling decision holds: " + traceparent);
    }
    for (Map.Entry<String, String> header : exchange.headers.entrySet()) {
      assertTrue(
          header.getKey().equals("traceparent") || header.getKey().equals("tracestate"),
          "only trace context headers: " + exchange.headers);
      assertTrue(
          PRINTABLE.matcher(header.getValue()).matches(),
          "printable ASCII only in " + header.getKey() + ": '" + header.getValue() + "'");
    }
  }
}

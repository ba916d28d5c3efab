package dev.meshwork.test.internal;

import dev.meshwork.core.MeshClock;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Spans and metrics in memory, timed on the test's clock: OpenTelemetry's in-memory exporter behind
 * an SDK of the test's own (never the global one), and Micrometer's simple registry.
 */
public final class TestTelemetry implements AutoCloseable {
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk;
  private final SimpleMeterRegistry meters;

  public TestTelemetry(MeshClock clock) {
    io.opentelemetry.sdk.common.Clock spanClock =
        new io.opentelemetry.sdk.common.Clock() {
          @Override
          public long now() {
            Instant now = clock.now();
            return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
          }

          @Override
          public long nanoTime() {
            return clock.nanoTime();
          }
        };
    this.sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .setClock(spanClock)
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    this.meters =
        new SimpleMeterRegistry(
            SimpleConfig.DEFAULT,
            new Clock() {
              @Override
              public long wallTime() {
                return clock.now().toEpochMilli();
              }

              @Override
              public long monotonicTime() {
                return clock.nanoTime();
              }
            });
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  public MeterRegistry meters() {
    return meters;
  }

  public List<SpanData> spans() {
    return spans.getFinishedSpanItems();
  }

  @Override
  public void close() {
    sdk.close();
    meters.close();
  }
}

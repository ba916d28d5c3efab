package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.internal.telemetry.ServiceTelemetry;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.io.IOException;

/**
 * Traces and meters one attempt: starts its CLIENT span once the endpoint is picked, injects the
 * trace context into the attempt's headers, keeps the span current while the transport runs (so the
 * application's network interceptors see it), then ends the span and records the duration the
 * outcome stage measured. A service without telemetry passes straight through.
 */
final class TelemetryStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    ServiceTelemetry telemetry = attempt.call().service().attemptTelemetry();
    if (telemetry == null) {
      return next.proceed(attempt, exchange);
    }
    Context context = telemetry.startAttempt(attempt);
    int status = -1;
    Throwable failure = null;
    try (Scope scope = context == null ? null : context.makeCurrent()) {
      R response = next.proceed(attempt, exchange);
      status = exchange.status(response);
      return response;
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      telemetry.endAttempt(attempt, context, status, failure);
    }
  }
}

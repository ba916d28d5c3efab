package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;

/**
 * Tells the call's listener that an attempt starts, once its endpoint is picked, and how it ended,
 * with the duration the outcome stage inside this one measured. Traces start the attempt's CLIENT
 * span, inject its context into the attempt's headers and keep it current while the transport runs
 * (so the application's network interceptors see it); metrics record the duration.
 */
final class AttemptEventStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    CallListener listener = attempt.call().listener();
    listener.attemptStart(attempt);
    int status = -1;
    Throwable failure = null;
    try {
      R response = next.proceed(attempt, exchange);
      status = exchange.status(response);
      return response;
    } catch (IOException | RuntimeException | Error e) {
      failure = e;
      throw e;
    } finally {
      listener.attemptEnd(attempt, status, failure);
    }
  }
}

package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.internal.resilience.ServiceLimiter;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;

/**
 * Lets an attempt through the service's circuit breaker and concurrency limit, and reports how it
 * ended to the breaker: a 5xx answer or an I/O failure counts against the service, a cancelled
 * attempt neither for nor against it. Refusals fail fast, naming the service and the breaker's
 * state or the limit.
 */
final class AdmissionStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    CallTarget service = attempt.call().target();
    ServiceBreaker breaker = service.breaker();
    ServiceBreaker.Refusal refusal = breaker == null ? null : breaker.tryAcquire();
    if (refusal != null) {
      MeshException.CircuitOpen refused =
          new MeshException.CircuitOpen(service.service(), refusal.state(), refusal.reason());
      if (attempt.records(DecisionKind.REJECTED)) {
        attempt.decision(DecisionKind.REJECTED, "circuit_open: " + refused.getMessage());
      }
      throw refused;
    }
    ServiceLimiter limiter = service.limiter();
    try {
      limiter.acquire(attempt);
    } catch (IOException refused) {
      if (breaker != null) {
        breaker.release();
      }
      if (refused instanceof MeshException.ConcurrencyLimited
          && attempt.records(DecisionKind.REJECTED)) {
        attempt.decision(DecisionKind.REJECTED, "concurrency_limit: " + refused.getMessage());
      }
      throw refused;
    }
    long start = breaker == null ? 0 : service.clock().nanoTime();
    boolean judged = false;
    try {
      R response = next.proceed(attempt, exchange);
      if (breaker != null) {
        long elapsed = service.clock().nanoTime() - start;
        if (exchange.status(response) >= 500) {
          breaker.onFailure(elapsed, null);
        } else {
          breaker.onSuccess(elapsed);
        }
        judged = true;
      }
      return response;
    } catch (MeshException.EndpointFailed failure) {
      if (breaker != null && !attempt.cancelled()) {
        breaker.onFailure(service.clock().nanoTime() - start, failure);
        judged = true;
      }
      throw failure;
    } finally {
      limiter.release();
      if (breaker != null && !judged) {
        // Refused before reaching an endpoint (no endpoint, all at their connection limit), or
        // cancelled (see AttemptState.cancelled): not the service's failure, nor its success.
        breaker.release();
      }
    }
  }
}

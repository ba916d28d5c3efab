package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.internal.endpoint.AttemptOutcome;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;

/**
 * Counts the attempt as active on its endpoint while it runs, times it, then classifies how it
 * ended and feeds the endpoint's statistics (counts and peak-EWMA latency) and the outlier
 * detector; a cancelled attempt (see {@link AttemptState#cancelled()}) feeds neither. The latency
 * is kept on the attempt for the telemetry stage around this one, so an attempt is timed once.
 */
final class RecordOutcomeStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    EndpointStats stats = attempt.endpoint().stats();
    MeshClock clock = attempt.call().service().clock();
    long start = clock.nanoTime();
    stats.attemptStarted();
    AttemptOutcome outcome = AttemptOutcome.TRANSPORT_ERROR;
    OutlierDetector outliers = attempt.call().service().outliers();
    try {
      R response = next.proceed(attempt, exchange);
      int status = exchange.status(response);
      outcome = AttemptOutcome.ofStatus(status);
      if (outliers != null) {
        outliers.recordStatus(attempt.endpoint(), status, attempt);
      }
      return response;
    } catch (IOException failure) {
      if (attempt.cancelled()) {
        outcome = AttemptOutcome.CANCELLED;
      } else if (outliers != null) {
        outliers.recordTransportFailure(attempt.endpoint(), attempt);
      }
      throw failure;
    } finally {
      long end = clock.nanoTime();
      attempt.latencyNanos(end - start);
      stats.attemptEnded(outcome, end - start, end);
    }
  }
}

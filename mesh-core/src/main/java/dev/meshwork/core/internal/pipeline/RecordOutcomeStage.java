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
 * detector; a cancelled attempt (see {@link AttemptState#cancelled()}) feeds neither. An ejection
 * the outcome causes is told to the call's listener. The latency is kept on the attempt for the
 * event stage around this one, so an attempt is timed once.
 */
final class RecordOutcomeStage implements AttemptStage {

  @Override
  public <R> R apply(AttemptState attempt, Exchange<R> exchange, AttemptChain next)
      throws IOException {
    EndpointStats stats = attempt.endpoint().stats();
    MeshClock clock = attempt.call().target().clock();
    long start = clock.nanoTime();
    stats.attemptStarted();
    AttemptOutcome outcome = AttemptOutcome.TRANSPORT_ERROR;
    OutlierDetector outliers = attempt.call().target().outliers();
    try {
      R response = next.proceed(attempt, exchange);
      int status = exchange.status(response);
      outcome = AttemptOutcome.ofStatus(status);
      if (outliers != null) {
        reportEjection(attempt, outliers.recordStatus(attempt.endpoint(), status));
      }
      return response;
    } catch (IOException failure) {
      if (attempt.cancelled()) {
        outcome = AttemptOutcome.CANCELLED;
      } else if (outliers != null) {
        reportEjection(attempt, outliers.recordTransportFailure(attempt.endpoint()));
      }
      throw failure;
    } finally {
      long end = clock.nanoTime();
      attempt.latencyNanos(end - start);
      stats.attemptEnded(outcome, end - start, end);
    }
  }

  /** Tells the call's listener when the attempt's outcome ejected its endpoint ({@code why}). */
  private static void reportEjection(AttemptState attempt, String why) {
    if (why != null) {
      attempt.call().listener().ejected(attempt, attempt.endpoint(), why);
    }
  }
}

package dev.meshwork.core.transport;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * How a transport sends one active health-check probe: {@code GET path} straight to {@code
 * endpoint}, secured as the service's calls are, bounded by {@code timeout}. Asynchronous, so the
 * mesh's single background thread can probe many endpoints at once. A transport registers itself
 * with {@link dev.meshwork.core.spi.TransportContext#useHealthProber}.
 */
@FunctionalInterface
public interface HealthProber {

  /** Completes with the HTTP status of the answer, or exceptionally when there was none. */
  CompletionStage<Integer> probe(
      ServiceName service, Endpoint endpoint, String path, Duration timeout);
}

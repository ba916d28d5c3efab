package dev.meshwork.core.internal.health;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes every endpoint of one service each interval through the transport's {@link HealthProber},
 * and announces through {@code onChange} when an endpoint's health flips, so the service rebuilds
 * the endpoints calls may use. Probes are asynchronous: one round costs the background thread only
 * the time to start them.
 */
public final class HealthChecker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

  private final ServiceName service;
  private final HealthCheck check;
  private final Supplier<List<EndpointState>> endpoints;
  private final HealthProber prober;
  private final Runnable onChange;

  /** Set when the service's health check changed or the service left the mesh. */
  private volatile boolean stopped;

  public HealthChecker(
      ServiceName service,
      HealthCheck check,
      Supplier<List<EndpointState>> endpoints,
      HealthProber prober,
      Runnable onChange) {
    this.service = service;
    this.check = check;
    this.endpoints = endpoints;
    this.prober = prober;
    this.onChange = onChange;
  }

  /**
   * Ignores every probe result from now on, those of probes still in flight included; the caller
   * cancels the scheduled rounds.
   */
  public void stop() {
    stopped = true;
  }

  /** One round: a probe to every endpoint. */
  @Override
  public void run() {
    if (stopped) {
      return;
    }
    for (EndpointState endpoint : endpoints.get()) {
      try {
        prober
            .probe(service, endpoint.endpoint(), check.path(), check.timeout())
            .whenComplete((status, error) -> record(endpoint, status, error));
      } catch (RuntimeException e) {
        record(endpoint, null, e);
      }
    }
  }

  private void record(EndpointState endpoint, Integer status, Throwable error) {
    if (stopped) {
      return;
    }
    boolean passed = error == null && status != null && status >= 200 && status < 400;
    if (endpoint
        .stats()
        .health()
        .record(passed, check.healthyThreshold(), check.unhealthyThreshold())) {
      if (passed) {
        log.info(
            "service '{}': endpoint {} passed {} health checks in a row and returns to balancing",
            service,
            endpoint,
            check.healthyThreshold());
      } else {
        log.warn(
            "service '{}': endpoint {} failed {} health checks in a row (GET {}: {}) and leaves balancing",
            service,
            endpoint,
            check.unhealthyThreshold(),
            check.path(),
            error != null ? error.toString() : "status " + status);
      }
      onChange.run();
    }
  }
}

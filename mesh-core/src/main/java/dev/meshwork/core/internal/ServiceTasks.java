package dev.meshwork.core.internal;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.health.HealthChecker;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background work of one service on the mesh's scheduler: the outlier detector's sweeps and the
 * active health checks. Follows config swaps: a changed detector gets its own sweeps (the replaced
 * one is retired and ejects no more), a changed health check restarts the rounds (each endpoint's
 * streaks carry over), and a policy turned off returns the endpoints it had taken out of balancing.
 * {@link #stop()} cancels everything, leaving no scheduled task behind.
 */
final class ServiceTasks {
  private static final Logger log = LoggerFactory.getLogger(ServiceTasks.class);

  private final ServiceRuntime runtime;
  private final ScheduledExecutorService scheduler;
  private boolean started;
  private boolean stopped;
  private HealthProber prober;
  private ScheduledFuture<?> sweeps;
  private HealthChecker checker;
  private ScheduledFuture<?> checks;

  ServiceTasks(ServiceRuntime runtime, ScheduledExecutorService scheduler) {
    this.runtime = runtime;
    this.scheduler = scheduler;
  }

  /**
   * Starts the sweeps of {@code generation}'s detector and, with a prober, its health checks.
   *
   * @param prober the transport's prober, or {@code null} while none is attached
   */
  synchronized void start(ServiceGeneration generation, HealthProber prober) {
    if (started || stopped) {
      return;
    }
    started = true;
    if (prober != null) {
      this.prober = prober;
    }
    sweep(generation.outliers());
    check(generation.config().healthCheck());
  }

  /** Probes through {@code prober} from now on. */
  synchronized void useProber(HealthProber prober, ServiceGeneration generation) {
    this.prober = prober;
    if (started && !stopped && checks == null) {
      check(generation.config().healthCheck());
    }
  }

  /** Moves the background work from {@code previous}'s policies to {@code next}'s. */
  void follow(ServiceGeneration previous, ServiceGeneration next) {
    OutlierDetector before = previous.outliers();
    if (before != null && before != next.outliers()) {
      before.retire();
      if (next.outliers() == null) {
        returnEjected(before);
      }
    }
    HealthCheck check = next.config().healthCheck();
    boolean checkChanged = !previous.config().healthCheck().equals(check);
    synchronized (this) {
      if (started && !stopped) {
        if (before != next.outliers()) {
          cancel(sweeps);
          sweeps = null;
          sweep(next.outliers());
        }
        if (checkChanged) {
          stopChecks();
          check(check);
        }
      }
    }
    if (checkChanged && !check.enabled()) {
      resetHealth();
    }
    if (previous.breaker() != next.breaker() || previous.clientTls() != next.clientTls()) {
      runtime.rebindTelemetry();
    }
  }

  /** Cancels every task; probes still in flight are ignored when they end. */
  synchronized void stop() {
    stopped = true;
    cancel(sweeps);
    sweeps = null;
    stopChecks();
  }

  /** How many periodic tasks the service has scheduled now. */
  synchronized int scheduled() {
    return (sweeps == null ? 0 : 1) + (checks == null ? 0 : 1);
  }

  private void sweep(OutlierDetector detector) {
    if (detector == null) {
      return;
    }
    ServiceName service = runtime.service();
    long interval = detector.policy().interval().toNanos();
    sweeps =
        schedule(
            () -> {
              try {
                detector.sweep();
              } catch (RuntimeException e) {
                // A periodic task that throws is never run again; one bad sweep must not end
                // detection.
                log.error("service '{}': outlier detection sweep failed", service, e);
              }
            },
            interval,
            interval);
  }

  private void check(HealthCheck check) {
    if (!check.enabled() || prober == null) {
      return;
    }
    ServiceName service = runtime.service();
    HealthChecker next =
        new HealthChecker(
            service,
            check,
            () -> runtime.endpointSet().states(),
            prober,
            runtime::refreshCandidates);
    checker = next;
    checks =
        schedule(
            () -> {
              try {
                next.run();
              } catch (RuntimeException e) {
                log.error("service '{}': health-check round failed", service, e);
              }
            },
            0,
            check.interval().toNanos());
  }

  private void stopChecks() {
    if (checker != null) {
      checker.stop();
      checker = null;
    }
    cancel(checks);
    checks = null;
  }

  private ScheduledFuture<?> schedule(Runnable task, long delayNanos, long intervalNanos) {
    try {
      return scheduler.scheduleWithFixedDelay(
          task, delayNanos, intervalNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      return null; // the mesh is closing
    }
  }

  private static void cancel(ScheduledFuture<?> task) {
    if (task != null) {
      task.cancel(false);
    }
  }

  /** Outlier detection was turned off: every endpoint it ejected returns to balancing. */
  private void returnEjected(OutlierDetector retired) {
    List<EndpointState> returned = new ArrayList<>();
    synchronized (retired) {
      for (EndpointState endpoint : runtime.endpointSet().states()) {
        if (endpoint.stats().outlier().ejected()) {
          endpoint.stats().outlier().restore();
          returned.add(endpoint);
        }
      }
    }
    if (!returned.isEmpty()) {
      log.info(
          "service '{}': outlier detection is off; ejected endpoints {} return to balancing",
          runtime.service(),
          returned);
      runtime.refreshCandidates();
      returned.forEach(endpoint -> runtime.listeners().returned(runtime.service(), endpoint));
    }
  }

  /** Health checks were turned off: every endpoint counts as healthy again. */
  private void resetHealth() {
    List<EndpointState> restored = new ArrayList<>();
    for (EndpointState endpoint : runtime.endpointSet().states()) {
      if (endpoint.stats().health().reset()) {
        restored.add(endpoint);
      }
    }
    if (!restored.isEmpty()) {
      log.info(
          "service '{}': health checks are off; endpoints {} that failed them return to balancing",
          runtime.service(),
          restored);
      runtime.refreshCandidates();
    }
  }
}

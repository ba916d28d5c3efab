package dev.meshwork.core.internal;

import dev.meshwork.core.EndpointSnapshot;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.MeshClosedException;
import dev.meshwork.core.MeshConfigException;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.LoadBalancer;
import dev.meshwork.core.discovery.DiscoveryListener;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.transport.Exchange;
import dev.meshwork.core.transport.MeshRequest;
import dev.meshwork.core.security.ClientTls;
import dev.meshwork.core.transport.ServiceInvoker;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.resilience.RetryBudgetState;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.internal.resilience.ServiceLimiter;
import java.io.IOException;
import dev.meshwork.core.internal.health.HealthChecker;
import dev.meshwork.core.resilience.HealthCheck;
import dev.meshwork.core.transport.HealthProber;
import java.util.ArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of one configured service: its current endpoint set and the candidates derived
 * from it, its balancer, retry budget, breaker, limiter and outlier detector, and the pipeline.
 * Discovery and the detector write the endpoint set and candidates (serialised by the monitor);
 * calls only read the volatile fields.
 */
public final class ServiceRuntime implements ServiceInvoker, DiscoveryListener {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  private final ServiceConfig config;
  private final MeshClock clock;
  private final LoadBalancer balancer;
  private final Pipeline pipeline;
  private final BooleanSupplier meshClosed;
  private final ClientTls clientTls;
  private final RetryBudgetState retryBudget;
  private final ServiceBreaker breaker;
  private final ServiceLimiter limiter;
  private final OutlierDetector outliers;
  private final HedgeThreads hedgeThreads;
  private volatile EndpointSet endpointSet = EndpointSet.initial();
  /** The endpoints calls may use: the set without ejected endpoints, or all of it in panic mode. */
  private volatile List<EndpointState> candidates = List.of();
  private volatile boolean panic;
  private volatile String lastDiscoveryError;

  public ServiceRuntime(ServiceConfig config, ClientTls clientTls, MeshClock clock, Pipeline pipeline,
      BooleanSupplier meshClosed, HedgeThreads hedgeThreads) {
    this.hedgeThreads = hedgeThreads;
    this.config = config;
    this.clientTls = clientTls;
    this.clock = clock;
    this.pipeline = pipeline;
    this.meshClosed = meshClosed;
    this.balancer = config.loadBalancer().create(config.name(), clock);
    this.retryBudget = new RetryBudgetState(config.retryBudget(), clock);
    this.breaker = config.circuitBreaker().enabled() ? new ServiceBreaker(config.name(), config.circuitBreaker(), clock) : null;
    this.limiter = new ServiceLimiter(config.name(), config.limits());
    this.outliers = config.outlierDetection().enabled()
        ? new OutlierDetector(config.name(), config.outlierDetection(), clock, () -> endpointSet.states(), this::refreshCandidates)
        : null;
  }

  @Override
  public ServiceName service() {
    return config.name();
  }

  public ServiceConfig config() {
    return config;
  }

  @Override
  public ClientTls clientTls() {
    return clientTls;
  }

  public LoadBalancer balancer() {
    return balancer;
  }

  public MeshClock clock() {
    return clock;
  }

  /** Where hedged attempts run. */
  public ExecutorService hedgeThreads() {
    return hedgeThreads.executor();
  }

  public RetryBudgetState retryBudget() {
    return retryBudget;
  }

  /** The service's circuit breaker, or {@code null} when it is disabled. */
  public ServiceBreaker breaker() {
    return breaker;
  }

  public ServiceLimiter limiter() {
    return limiter;
  }

  /** The service's outlier detector, or {@code null} when detection is disabled. */
  public OutlierDetector outliers() {
    return outliers;
  }

  /** The endpoints calls may use now: neither ejected nor failing health checks, or all of them in panic mode. */
  public List<EndpointState> candidates() {
    return candidates;
  }

  /** Whether too few endpoints are healthy, so balancing ignores ejections. */
  public boolean panic() {
    return panic;
  }

  /**
   * Rebuilds {@link #candidates()} from the endpoint set and the ejections; called after every
   * discovery update and every ejection change.
   */
  public synchronized void refreshCandidates() {
    List<EndpointState> all = endpointSet.states();
    List<EndpointState> healthy = new ArrayList<>(all.size());
    for (EndpointState state : all) {
      if (!state.stats().outlier().ejected() && state.stats().health().healthy()) {
        healthy.add(state);
      }
    }
    double panicThreshold = config.outlierDetection().panicThresholdPercent();
    boolean nowPanic = !all.isEmpty() && healthy.size() * 100.0 < all.size() * panicThreshold;
    if (nowPanic && !panic) {
      log.warn("service '{}': only {} of {} endpoints healthy, below the panic threshold {}%; balancing over all of them",
          config.name(), healthy.size(), all.size(), panicThreshold);
    }
    panic = nowPanic;
    candidates = nowPanic || healthy.size() == all.size() ? all : List.copyOf(healthy);
  }

  /**
   * Starts active health checks, when the service has them, probing through {@code prober} on
   * {@code scheduler}.
   */
  public void startHealthChecks(HealthProber prober, ScheduledExecutorService scheduler) {
    HealthCheck check = config.healthCheck();
    if (check == null) {
      return;
    }
    HealthChecker checker = new HealthChecker(config.name(), check, () -> endpointSet.states(), prober,
        this::refreshCandidates);
    long interval = check.interval().toNanos();
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        checker.run();
      } catch (RuntimeException e) {
        log.error("service '{}': health-check round failed", config.name(), e);
      }
    }, 0, interval, TimeUnit.NANOSECONDS);
  }

  /** The endpoint set calls currently use. */
  public EndpointSet endpointSet() {
    return endpointSet;
  }

  @Override
  public <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException {
    if (meshClosed.getAsBoolean()) {
      throw new MeshClosedException(config.name());
    }
    return pipeline.execute(new CallContext(this, request, clock.nanoTime()), exchange);
  }

  @Override
  public void onSnapshot(EndpointSnapshot snapshot) {
    if (!snapshot.service().equals(config.name())) {
      onError(new MeshConfigException("snapshot service", snapshot.service(),
          "'" + config.name() + "', the service this source was asked to watch"));
      return;
    }
    synchronized (this) {
      EndpointSet next = endpointSet.next(snapshot, clock.now(), clock.nanoTime());
      // Tables (ring hash, Maglev, weighted schedules) are built here, on the discovery thread,
      // before calls can see the new set.
      balancer.update(next.states());
      endpointSet = next;
      refreshCandidates();
      lastDiscoveryError = null;
    }
    log.debug("service '{}': {} endpoints from {}", config.name(), snapshot.size(), config.discovery().describe());
  }

  @Override
  public void onError(Throwable error) {
    lastDiscoveryError = String.valueOf(error.getMessage());
    log.warn("service '{}': discovery {} failed, keeping the last {} endpoints: {}",
        config.name(), config.discovery().describe(), endpointSet.states().size(), error.toString());
  }

  /** Why there is no endpoint to call, in words for an exception message. */
  public String whyNoEndpoints() {
    EndpointSet current = endpointSet;
    String source = config.discovery().describe();
    String error = lastDiscoveryError;
    String suffix = error == null ? "" : "; last discovery error: " + error;
    if (current.snapshot() == null) {
      return "no endpoints: discovery " + source + " has not answered yet" + suffix;
    }
    if (current.snapshot().isEmpty()) {
      return "no endpoints: discovery " + source + " lists none (since " + current.updatedAt() + ")" + suffix;
    }
    return "no healthy endpoints among " + current.snapshot().size() + " (ejected by outlier detection)" + suffix;
  }
}

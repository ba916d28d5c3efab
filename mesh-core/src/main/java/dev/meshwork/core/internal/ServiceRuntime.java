package dev.meshwork.core.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.balancer.NamedFactory;
import dev.meshwork.core.internal.balancer.SlowStartLoadBalancer;
import dev.meshwork.core.internal.balancer.ZoneRouter;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.Ramp;
import dev.meshwork.core.internal.health.HealthChecker;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.CallTarget;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.internal.resilience.RetryBudgetState;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.internal.resilience.ServiceLimiter;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.internal.telemetry.ObservedService;
import dev.meshwork.core.internal.telemetry.ServiceTelemetry;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import dev.meshwork.core.telemetry.Telemetry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of one configured service, and the wiring of its parts: it builds the service's
 * balancer, retry budget, breaker, limiter, outlier detector and zone narrowing, hands them to the
 * pipeline as the service's {@link CallTarget}, connects telemetry to them, and keeps the current
 * endpoint set and the candidates derived from it. Discovery callbacks only queue the snapshot; a
 * {@link CoalescingUpdater} builds the next endpoint set and balancer tables on the mesh's update
 * threads, one update at a time per service, so a burst becomes one update and a slow service never
 * holds up a source or another service. The detector and health checks rebuild the candidates
 * (serialised by the monitor); calls only read the volatile fields.
 */
public final class ServiceRuntime implements ServiceInvoker, DiscoveryListener {
  private static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  private volatile ServiceConfig config;
  private final MeshClock clock;

  /**
   * Narrows candidates to the caller's zone, or {@code null} when zone awareness does not apply.
   */
  private final ZoneRouter zones;

  /** The service's slow start with the mesh clock, or {@code null} when off. */
  private final Ramp ramp;

  private final Pipeline pipeline;
  private final BooleanSupplier meshClosed;
  private final ClientTls clientTls;
  private final ServiceBreaker breaker;
  private final OutlierDetector outliers;

  /** What the built-in balancers draw from: the mesh's seeded generator, or ThreadLocalRandom. */
  private final RandomGenerator balancerRandom;

  /** The service as the pipeline sees it. */
  private final CallTarget target;

  private volatile EndpointSet endpointSet = EndpointSet.initial();

  /** The route table compiled against the endpoint groups; replaced whole when routes change. */
  private volatile Routing routing;

  private final CoalescingUpdater<EndpointSnapshot> updates;
  private final AtomicReference<DiscoveryHealth> health;
  private final CountDownLatch firstApplied = new CountDownLatch(1);
  private volatile Watch watch;

  public ServiceRuntime(
      ServiceConfig config,
      ClientTls clientTls,
      MeshClock clock,
      Pipeline pipeline,
      BooleanSupplier meshClosed,
      Executor updateThreads,
      Executor hedgeThreads,
      Executor mirrorThreads,
      Supplier<RandomGenerator> random,
      String localZone) {
    this.updates = new CoalescingUpdater<>(updateThreads, this::apply);
    this.health = new AtomicReference<>(DiscoveryHealth.waiting(config.discovery().describe()));
    this.config = config;
    this.clientTls = clientTls;
    this.clock = clock;
    this.pipeline = pipeline;
    this.meshClosed = meshClosed;
    this.balancerRandom = random.get();
    LoadBalancer created =
        NamedFactory.create(config.loadBalancer(), config.name(), clock, balancerRandom);
    // A consistent-hashing balancer exists so that a key keeps its endpoint; narrowing by zone or
    // redrawing for slow start would move keys, so both are left out for it. Asked of the balancer
    // itself, so a new hashing balancer (built in or a user's) cannot be missed.
    boolean hashing = created.keepsKeysOnEndpoints();
    if (hashing && config.slowStart().enabled()) {
      log.warn(
          "service '{}': {} ignores slow start; consistent hashing keeps keys on their endpoints",
          config.name(),
          config.loadBalancer().name());
    }
    this.ramp =
        !config.slowStart().enabled() || hashing ? null : new Ramp(config.slowStart(), clock);
    LoadBalancer balancer = ramp == null ? created : new SlowStartLoadBalancer(created);
    this.routing =
        Routing.compile(
            config.routes(), null, new EndpointGroup(null, balancer), this::newBalancer);
    this.zones =
        localZone.isEmpty() || !config.zoneAwareness().enabled() || hashing
            ? null
            : new ZoneRouter(localZone, config.zoneAwareness());
    this.breaker =
        config.circuitBreaker().enabled()
            ? new ServiceBreaker(config.name(), config.circuitBreaker(), clock)
            : null;
    this.outliers =
        config.outlierDetection().enabled()
            ? new OutlierDetector(
                config.name(),
                config.outlierDetection(),
                clock,
                () -> endpointSet.states(),
                this::refreshCandidates,
                new SweepReport())
            : null;
    this.target =
        CallTarget.builder(config, clock)
            .routing(() -> routing)
            .zones(zones)
            .breaker(breaker)
            .limiter(new ServiceLimiter(config.name(), config.limits()))
            .retryBudget(new RetryBudgetState(config.retryBudget(), clock))
            .outliers(outliers)
            .random(random)
            .threads(hedgeThreads, mirrorThreads)
            .noEndpoints(this::whyNoEndpoints)
            .build();
  }

  /**
   * Tells the listeners of the service's calls what a sweep of the outlier detector changed. Reads
   * them at each event, so listeners added after the detector was made still hear.
   */
  private final class SweepReport implements OutlierDetector.Listener {
    @Override
    public void ejected(EndpointState endpoint, String why) {
      target.listeners().ejected(config.name(), endpoint, why);
    }

    @Override
    public void returned(EndpointState endpoint) {
      target.listeners().returned(config.name(), endpoint);
    }
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

  /** Makes the listeners of this service's calls: every one added, in order. */
  public CallListener.Factory listeners() {
    return target.listeners();
  }

  /** Adds a listener of this service's calls (traces and metrics, the mesh's decision log, ...). */
  public void addListeners(CallListener.Factory listeners) {
    target.addListeners(listeners);
  }

  /**
   * Traces and meters this service's calls as {@code telemetry} says. Returns what removes the
   * service's meters from the registry when the mesh closes; empty when {@code telemetry} records
   * nothing (the global OpenTelemetry without an SDK), which then costs the calls nothing.
   */
  public Optional<AutoCloseable> useTelemetry(Telemetry telemetry) {
    ServiceTelemetry traced =
        new ServiceTelemetry(
            telemetry,
            new ObservedService(
                config.name(),
                clock,
                clientTls,
                breaker,
                () -> endpointSet.states(),
                this::health));
    if (!traced.enabled()) {
      return Optional.empty();
    }
    addListeners(traced);
    return Optional.of(traced);
  }

  /** The routes calls start with now. */
  public Routing routing() {
    return routing;
  }

  /**
   * Replaces the service's route table; calls that start afterwards use it, calls in flight finish
   * on the old one. Subsets it introduces get their members before it is visible.
   */
  public synchronized void routes(RouteTable table) {
    Routing next = Routing.compile(table, routing, null, this::newBalancer);
    next.membersOfNewGroups(endpointSet.states());
    next.refresh(config.outlierDetection().panicThresholdPercent(), this::logPanic);
    routing = next;
    prepareZones();
    config = config.withRoutes(table);
    // Route names only: header matches and overrides may carry values that are not for logs.
    log.info(
        "service '{}': routes now {}",
        config.name(),
        table.routes().stream().map(Route::name).toList());
  }

  /** A balancer for a new subset, wrapped for slow start like the service's. */
  private LoadBalancer newBalancer() {
    LoadBalancer created =
        NamedFactory.create(config.loadBalancer(), config.name(), clock, balancerRandom);
    return ramp == null ? created : new SlowStartLoadBalancer(created);
  }

  /**
   * The zone narrowing of the service's calls, or {@code null} when zone awareness does not apply.
   */
  public ZoneRouter zones() {
    return zones;
  }

  /** The service's circuit breaker, or {@code null} when it is disabled. */
  public ServiceBreaker breaker() {
    return breaker;
  }

  /** The service's outlier detector, or {@code null} when detection is disabled. */
  public OutlierDetector outliers() {
    return outliers;
  }

  /**
   * The endpoints of the whole service that calls may use now: neither ejected nor failing health
   * checks, or all of them in panic mode.
   */
  public List<EndpointState> candidates() {
    return routing.all().candidates();
  }

  /** Whether too few of the service's endpoints are healthy, so balancing ignores ejections. */
  public boolean panic() {
    return routing.all().panic();
  }

  /**
   * Rebuilds the candidates of the service and of each subset from the endpoint set and the
   * ejections; called after every discovery update and every ejection change.
   */
  public synchronized void refreshCandidates() {
    refreshCandidates(endpointSet.states());
  }

  private synchronized void refreshCandidates(List<EndpointState> all) {
    long now = clock.nanoTime();
    for (EndpointState state : all) {
      state
          .stats()
          .inService(!state.stats().outlier().ejected() && state.stats().health().healthy(), now);
    }
    routing.refresh(config.outlierDetection().panicThresholdPercent(), this::logPanic);
    prepareZones();
  }

  /**
   * Builds each group's zone partitions here, on the thread that changed the endpoints, rather than
   * on a call's.
   */
  private void prepareZones() {
    if (zones != null) {
      routing.forEachGroup(
          group ->
              group.zonePartition(
                  group.panic() ? null : zones.partitionOf(group.candidates(), group.members())));
    }
  }

  private void logPanic(EndpointGroup group) {
    int healthy = 0;
    for (EndpointState state : group.members()) {
      if (!state.stats().outlier().ejected() && state.stats().health().healthy()) {
        healthy++;
      }
    }
    log.warn(
        "service '{}'{}: only {} of {} endpoints healthy, below the panic threshold {}%; balancing over all of them",
        config.name(),
        group.subset() == null ? "" : " subset " + group.subset(),
        healthy,
        group.members().size(),
        config.outlierDetection().panicThresholdPercent());
  }

  /**
   * Starts active health checks, when the service has them, probing through {@code prober} on
   * {@code scheduler}.
   */
  public void startHealthChecks(HealthProber prober, ScheduledExecutorService scheduler) {
    HealthCheck check = config.healthCheck();
    if (!check.enabled()) {
      return;
    }
    HealthChecker checker =
        new HealthChecker(
            config.name(), check, () -> endpointSet.states(), prober, this::refreshCandidates);
    long interval = check.interval().toNanos();
    ScheduledFuture<?> unused =
        scheduler.scheduleWithFixedDelay(
            () -> {
              try {
                checker.run();
              } catch (RuntimeException e) {
                log.error("service '{}': health-check round failed", config.name(), e);
              }
            },
            0,
            interval,
            TimeUnit.NANOSECONDS);
  }

  /** The endpoint set calls currently use. */
  public EndpointSet endpointSet() {
    return endpointSet;
  }

  @Override
  public <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException {
    if (meshClosed.getAsBoolean()) {
      throw new MeshException.Closed(config.name());
    }
    return pipeline.execute(target, request, exchange);
  }

  @Override
  public void onSnapshot(EndpointSnapshot snapshot) {
    if (!snapshot.service().equals(config.name())) {
      onError(
          new MeshConfigException(
              "snapshot service",
              snapshot.service(),
              "'" + config.name() + "', the service this source was asked to watch"));
      return;
    }
    health.updateAndGet(h -> h.answered(clock.now()));
    updates.offer(snapshot);
  }

  private void apply(EndpointSnapshot snapshot) {
    // Only this update thread (one per service at a time) writes the endpoint set.
    EndpointSet current = endpointSet;
    if (snapshot.equals(current.snapshot())) {
      // Sources repeat unchanged answers to show they are alive; nothing to rebuild.
      firstApplied.countDown();
      return;
    }
    EndpointSet next = current.next(snapshot, clock.now(), clock.nanoTime(), ramp);
    // Tables (ring hash, Maglev, weighted schedules) are built here, on an update thread, before
    // calls can see the new set, and outside the monitor: a call whose failure ejects an endpoint
    // takes the monitor to refresh candidates and must not wait for a large table build.
    Routing target = routing;
    target.members(next.states());
    synchronized (this) {
      if (routing != target) {
        routing.members(
            next.states()); // a route swap raced this update; its new groups need the new set
      }
      // Candidates before the set: whoever sees the new set (endpoints(), a test, a benchmark) must
      // find calls already using it; the other order left a window with the first update's
      // candidates still empty.
      refreshCandidates(next.states());
      endpointSet = next;
    }
    firstApplied.countDown();
    log.debug(
        "service '{}': {} endpoints from {}",
        config.name(),
        snapshot.size(),
        config.discovery().describe());
  }

  @Override
  public void onError(Throwable error) {
    health.updateAndGet(h -> h.failed(clock.now(), String.valueOf(error.getMessage())));
    log.warn(
        "service '{}': discovery {} failed, keeping the last {} endpoints: {}",
        config.name(),
        config.discovery().describe(),
        endpointSet.states().size(),
        error.toString());
  }

  /** Remembers the running watch, whose own health report, if it has one, wins. */
  public void watching(Watch watch) {
    this.watch = watch;
  }

  /** The discovery health: the watch's own report when it has one, else what the callbacks said. */
  public DiscoveryHealth health() {
    Watch current = watch;
    DiscoveryHealth own = current == null ? null : current.health().orElse(null);
    return own != null ? own : health.get();
  }

  /**
   * Waits until every snapshot received so far is in use (or replaced by a later one in use). False
   * when {@code timeout} passed first.
   */
  public boolean awaitUpdates(Duration timeout) throws InterruptedException {
    return updates.awaitApplied(timeout.toNanos());
  }

  /** Waits for the first snapshot to be in use; false when {@code timeout} passed first. */
  public boolean awaitFirstSnapshot(long timeoutNanos) throws InterruptedException {
    return firstApplied.await(timeoutNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * Why {@code group}, chosen by route {@code route} (either may be {@code null}: the whole
   * service, no route), has no endpoint to call, in words for an exception message.
   */
  private String whyNoEndpoints(EndpointGroup group, String route) {
    return NoEndpointsReason.explain(
        endpointSet, group, route, config.discovery().describe(), health());
  }
}

package dev.meshwork.core.internal;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.CallTarget;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.internal.telemetry.ObservedService;
import dev.meshwork.core.internal.telemetry.ServiceTelemetry;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live side of one configured service for as long as it is in the mesh: its endpoint set and
 * discovery, the {@linkplain ServiceGeneration generation} of its configuration in force, and its
 * background work ({@link ServiceTasks}). Discovery callbacks only queue the snapshot; a {@link
 * CoalescingUpdater} builds the next endpoint set and balancer tables on the mesh's update threads,
 * one update at a time per service, so a burst becomes one update and a slow service never holds up
 * a source or another service. The detector, health checks and config swaps rebuild the candidates
 * (serialised by the monitor); calls only read volatile fields.
 *
 * <p>Which source the endpoints come from across config swaps is {@link ServiceDiscovery}'s.
 */
public final class ServiceRuntime {
  static final Logger log = LoggerFactory.getLogger(ServiceRuntime.class);

  /**
   * What every service of one mesh shares.
   *
   * @param meshClosed whether the mesh is closed
   * @param updateThreads where endpoint updates are applied
   * @param localZone the caller's zone, empty for none
   * @param scheduler the mesh's background scheduler
   */
  public record MeshParts(
      MeshClock clock,
      Pipeline pipeline,
      BooleanSupplier meshClosed,
      Executor updateThreads,
      Executor hedgeThreads,
      Executor mirrorThreads,
      Supplier<RandomGenerator> random,
      String localZone,
      ScheduledExecutorService scheduler,
      DiscoveryContext discovery) {}

  private final ServiceName name;
  private final MeshParts mesh;
  private final CallTarget.Listeners listeners = new CallTarget.Listeners();
  private final CoalescingUpdater<EndpointSnapshot> updates;
  private final CountDownLatch firstApplied = new CountDownLatch(1);
  private final ServiceTasks tasks;
  private volatile ServiceGeneration current;
  private volatile EndpointSet endpointSet = EndpointSet.initial();

  private final ServiceDiscovery discovery;
  private ServiceTelemetry telemetry;

  /**
   * @param clientTls the service's client TLS, or {@code null} for plaintext
   */
  public ServiceRuntime(ServiceConfig config, ClientTls clientTls, MeshParts mesh) {
    this.name = config.name();
    this.mesh = mesh;
    this.updates = new CoalescingUpdater<>(mesh.updateThreads(), this::apply);
    this.tasks = new ServiceTasks(this, mesh.scheduler());
    this.discovery = new ServiceDiscovery(this, mesh.discovery(), updates::offer);
    this.current = new ServiceGeneration(this, config, clientTls, null);
  }

  public ServiceName service() {
    return name;
  }

  /** The generation in force: the one calls that start now use, once the mesh published it. */
  public ServiceGeneration current() {
    return current;
  }

  public ServiceConfig config() {
    return current.config();
  }

  /** The routes of the generation in force. */
  public Routing routing() {
    return current.routing();
  }

  /** The outlier detector in force, or {@code null} when detection is disabled. */
  public OutlierDetector outliers() {
    return current.outliers();
  }

  MeshClock clock() {
    return mesh.clock();
  }

  Pipeline pipeline() {
    return mesh.pipeline();
  }

  BooleanSupplier meshClosed() {
    return mesh.meshClosed();
  }

  String localZone() {
    return mesh.localZone();
  }

  Supplier<RandomGenerator> random() {
    return mesh.random();
  }

  Executor hedgeThreads() {
    return mesh.hedgeThreads();
  }

  Executor mirrorThreads() {
    return mesh.mirrorThreads();
  }

  CallTarget.Listeners callListeners() {
    return listeners;
  }

  ServiceDiscovery discovery() {
    return discovery;
  }

  /** Makes the listeners of this service's calls: every one added, in order. */
  public CallListener.Factory listeners() {
    return listeners.factory();
  }

  /** Adds a listener of this service's calls (traces and metrics, the mesh's decision log, ...). */
  public void addListeners(CallListener.Factory added) {
    listeners.add(added);
  }

  /** A detector for {@code policy} over this service's endpoints. */
  OutlierDetector newOutlierDetector(OutlierDetection policy) {
    return new OutlierDetector(
        name,
        policy,
        mesh.clock(),
        () -> endpointSet.states(),
        this::refreshCandidates,
        new OutlierDetector.Listener() {
          // Reads the listeners at each event, so listeners added after the detector still hear.
          @Override
          public void ejected(EndpointState endpoint, String why) {
            listeners().ejected(name, endpoint, why);
          }

          @Override
          public void returned(EndpointState endpoint) {
            listeners().returned(name, endpoint);
          }
        });
  }

  /**
   * Traces and meters this service's calls as {@code telemetry} says, until {@link
   * #closeTelemetry()}. Does nothing when {@code telemetry} records nothing (the global
   * OpenTelemetry without an SDK), which then costs the calls nothing.
   */
  public void useTelemetry(Telemetry telemetry) {
    ServiceTelemetry traced =
        new ServiceTelemetry(
            telemetry,
            new ObservedService(
                name,
                mesh.clock(),
                () -> current.clientTls(),
                () -> current.breaker(),
                () -> endpointSet.states(),
                this::health));
    if (traced.enabled()) {
      addListeners(traced);
      synchronized (this) {
        this.telemetry = traced;
      }
    }
  }

  /** Removes the service's meters from the registry. */
  synchronized void closeTelemetry() {
    if (telemetry != null) {
      telemetry.close();
    }
  }

  /**
   * The next generation for {@code config}, built on the one in force; not in force until {@link
   * #install}.
   */
  ServiceGeneration prepare(ServiceConfig config, ClientTls clientTls) {
    return new ServiceGeneration(this, config, clientTls, current);
  }

  /**
   * Starts watching {@code source} for the next generation unless it is the one in use; see {@link
   * ServiceDiscovery#prepare}.
   */
  ServiceSource prepareSource(DiscoverySource source) {
    return discovery.prepare(source);
  }

  /** Starts the first discovery watch, whose answers count at once. */
  void startDiscovery() {
    discovery.start(current.config().discovery());
  }

  /**
   * Puts {@code next} in force (calls see it once the mesh publishes it): new endpoint groups get
   * their members, candidates and zones are rebuilt, background work follows the new policies. With
   * {@code source}, that source becomes the pending one, and takes over as soon as it has answered.
   */
  void install(ServiceGeneration next, ServiceSource source) {
    ServiceGeneration previous;
    synchronized (this) {
      previous = current;
      EndpointSet set = endpointSet;
      if (next.ramp() != previous.ramp()) {
        set = set.withRamp(next.ramp());
        endpointSet = set;
      }
      if (next.routing().all() != previous.routing().all()) {
        next.routing().members(set.states());
      } else {
        next.routing().membersOfNewGroups(set.states());
      }
      current = next;
      refreshCandidates(set.states());
    }
    discovery.follow(next.config().discovery(), source);
    tasks.follow(previous, next);
  }

  /** Closes a source a prepared generation started, when that generation is not installed. */
  void abandon(ServiceSource source) {
    ServiceDiscovery.abandon(source);
  }

  /**
   * Stops discovery and background work: the service has left the mesh, or the mesh closes. Calls
   * in flight finish on the endpoints they have. Meters stay until {@link #closeTelemetry()}.
   */
  void stop() {
    tasks.stop();
    discovery.stop();
  }

  /** Attempts in flight on the service's endpoints now. */
  int attemptsInFlight() {
    int active = 0;
    for (EndpointState state : endpointSet.states()) {
      active += state.activeRequests();
    }
    return active;
  }

  /**
   * The endpoints of the whole service that calls may use now: neither ejected nor failing health
   * checks, or all of them in panic mode.
   */
  public List<EndpointState> candidates() {
    return current.routing().all().candidates();
  }

  /** Whether too few of the service's endpoints are healthy, so balancing ignores ejections. */
  public boolean panic() {
    return current.routing().all().panic();
  }

  /**
   * Rebuilds the candidates of the service and of each subset from the endpoint set and the
   * ejections; called after every discovery update, ejection change and config swap.
   */
  public synchronized void refreshCandidates() {
    refreshCandidates(endpointSet.states());
  }

  private synchronized void refreshCandidates(List<EndpointState> all) {
    long now = mesh.clock().nanoTime();
    for (EndpointState state : all) {
      state
          .stats()
          .inService(!state.stats().outlier().ejected() && state.stats().health().healthy(), now);
    }
    ServiceGeneration generation = current;
    generation
        .routing()
        .refresh(generation.config().outlierDetection().panicThresholdPercent(), this::logPanic);
    if (generation.zones() != null) {
      // Built here, on the thread that changed the endpoints, rather than on a call's.
      generation
          .routing()
          .forEachGroup(
              group ->
                  group.zonePartition(
                      group.panic()
                          ? null
                          : generation.zones().partitionOf(group.candidates(), group.members())));
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
        name,
        group.subset() == null ? "" : " subset " + group.subset(),
        healthy,
        group.members().size(),
        current.config().outlierDetection().panicThresholdPercent());
  }

  /** The endpoint set calls currently use. */
  public EndpointSet endpointSet() {
    return endpointSet;
  }

  private void apply(EndpointSnapshot snapshot) {
    // Only this update thread (one per service at a time) writes a new endpoint set.
    EndpointSet before = endpointSet;
    if (snapshot.equals(before.snapshot())) {
      // Sources repeat unchanged answers to show they are alive; nothing to rebuild.
      firstApplied.countDown();
      return;
    }
    ServiceGeneration generation = current;
    EndpointSet next =
        before.next(snapshot, mesh.clock().now(), mesh.clock().nanoTime(), generation.ramp());
    // Tables (ring hash, Maglev, weighted schedules) are built here, on an update thread, before
    // calls can see the new set, and outside the monitor: a call whose failure ejects an endpoint
    // takes the monitor to refresh candidates and must not wait for a large table build.
    generation.routing().members(next.states());
    synchronized (this) {
      ServiceGeneration now = current;
      if (now.ramp() != generation.ramp()) {
        next = next.withRamp(now.ramp()); // a config swap changed slow start meanwhile
        now.routing().members(next.states());
      } else if (now.routing() != generation.routing()) {
        now.routing().members(next.states()); // a swap raced this update; its groups need the set
      }
      // Candidates before the set: whoever sees the new set (endpoints(), a test, a benchmark) must
      // find calls already using it.
      refreshCandidates(next.states());
      endpointSet = next;
    }
    firstApplied.countDown();
    log.debug("service '{}': {} endpoints from {}", name, snapshot.size(), sourceDescription());
  }

  /** The description of the source whose endpoints are in use. */
  private String sourceDescription() {
    return discovery.description(current.config().discovery());
  }

  /** How the service's discovery is doing; see {@link ServiceDiscovery#health}. */
  public DiscoveryHealth health() {
    return discovery.health(current.config().discovery());
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

  /** Starts the background work of the generation in force; see {@link ServiceTasks}. */
  void startBackground(HealthProber prober) {
    tasks.start(current, prober);
  }

  /** Probes health through {@code prober} from now on, when the service has health checks. */
  void useHealthProber(HealthProber prober) {
    tasks.useProber(Objects.requireNonNull(prober, "prober"), current);
  }

  /**
   * Why {@code group}, chosen by route {@code route} (either may be {@code null}: the whole
   * service, no route), has no endpoint to call, in words for an exception message.
   */
  String whyNoEndpoints(EndpointGroup group, String route) {
    return NoEndpointsReason.explain(endpointSet, group, route, sourceDescription(), health());
  }

  /** Rebinds the telemetry to the breaker and TLS of the generation in force. */
  synchronized void rebindTelemetry() {
    if (telemetry != null) {
      telemetry.rebind();
    }
  }
}

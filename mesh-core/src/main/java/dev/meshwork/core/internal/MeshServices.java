package dev.meshwork.core.internal;

import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.internal.telemetry.DecisionLog;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.spi.Redaction;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services of a running mesh as one immutable state, every service's {@link ServiceGeneration}
 * by host plus the {@link ConfigStatus}, and the swaps that replace it: a transport finds a call's
 * service with one volatile read, and a config swap publishes the next state with one volatile
 * write, so every call that starts afterwards sees all of it and none of it before. Swaps are
 * serialised by a lock that calls never take.
 *
 * <p>{@link #apply} validates and prepares everything first (TLS, each changed service's next
 * generation, the discovery watches of added services and of changed sources); if anything fails,
 * what was prepared is released and the running state is untouched. Then changed generations are
 * installed, the new state is published, added services start their background work, and removed
 * services stop theirs.
 */
public final class MeshServices implements MeshConfigurer, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshServices.class);

  /** How long a swap waits for a source that answers inside {@code watch()} to be in use. */
  static final Duration SYNCHRONOUS_ANSWER_WAIT = Duration.ofSeconds(10);

  /** How often a removed service's attempts in flight are counted before its meters go. */
  private static final Duration DRAIN_CHECK = Duration.ofMillis(50);

  /** After this, a removed service's meters go even with attempts still in flight. */
  private static final Duration DRAIN_LIMIT = Duration.ofSeconds(60);

  private record State(Map<String, ServiceGeneration> byHost, ConfigStatus status) {}

  private final ServiceRuntime.MeshParts parts;
  private final PeerSecurity security;
  private final Telemetry telemetry;
  private final DecisionLog decisions;
  private final Object lock = new Object();
  private volatile State state;

  /** Removed services whose attempts in flight have not ended yet. */
  private final Set<ServiceRuntime> draining = ConcurrentHashMap.newKeySet();

  private HealthProber prober;
  private boolean closed;

  /**
   * @param security the mesh's peer security, or {@code null}
   * @param decisions the mesh's decision log, or {@code null} when it keeps none
   */
  public MeshServices(
      ServiceRuntime.MeshParts parts,
      PeerSecurity security,
      Telemetry telemetry,
      DecisionLog decisions) {
    this.parts = parts;
    this.security = security;
    this.telemetry = telemetry;
    this.decisions = decisions;
    this.state =
        new State(
            Map.of(),
            new ConfigStatus(ConfigStatus.BUILDER, "1", 1, parts.clock().now(), Optional.empty()));
  }

  /**
   * Starts the services of a newly built mesh, its generation 1, and waits for the sources that
   * answer inside {@code watch()}, and for all of them up to {@code awaitDiscovery}.
   *
   * @param tls each mutual-TLS service's client TLS
   * @throws MeshStartupException when discovery did not answer within {@code awaitDiscovery}
   */
  public void start(
      Collection<ServiceConfig> services, Map<ServiceName, ClientTls> tls, Duration awaitDiscovery)
      throws InterruptedException {
    List<ServiceRuntime> runtimes = new ArrayList<>();
    Map<String, ServiceGeneration> byHost = new LinkedHashMap<>();
    for (ServiceConfig config : services) {
      ServiceRuntime runtime = newRuntime(config, tls.get(config.name()));
      runtimes.add(runtime);
      byHost.put(config.name().value(), runtime.current());
    }
    state = new State(Map.copyOf(byHost), state.status());
    for (ServiceRuntime runtime : runtimes) {
      runtime.startDiscovery();
    }
    // Sources that answer inside watch() (static lists) are in use when build() returns.
    for (ServiceRuntime runtime : runtimes) {
      runtime.awaitUpdates(SYNCHRONOUS_ANSWER_WAIT);
    }
    if (!awaitDiscovery.isZero() && !awaitDiscovery(awaitDiscovery)) {
      throw new MeshStartupException(
          "discovery did not answer within " + awaitDiscovery + ": " + waitingServices());
    }
    synchronized (lock) {
      for (ServiceRuntime runtime : runtimes) {
        runtime.startBackground(prober);
      }
    }
  }

  private ServiceRuntime newRuntime(ServiceConfig config, ClientTls tls) {
    for (ServiceRuntime removed : draining) {
      // Meters are registered by name and tags: a service added back while its earlier self still
      // drains takes them over, so the earlier one must not remove them later.
      if (removed.service().equals(config.name()) && draining.remove(removed)) {
        removed.closeTelemetry();
      }
    }
    ServiceRuntime runtime = new ServiceRuntime(config, tls, parts);
    if (telemetry.enabled()) {
      runtime.useTelemetry(telemetry);
    }
    if (decisions != null) {
      runtime.addListeners(decisions);
    }
    if (prober != null) {
      runtime.useHealthProber(prober);
    }
    return runtime;
  }

  /** The service a call to {@code host} goes to now, or {@code null} when none is called so. */
  public ServiceGeneration invoker(String host) {
    return state.byHost().get(host);
  }

  /** Every service as calls that start now see it. */
  public Collection<ServiceGeneration> generations() {
    return state.byHost().values();
  }

  public ConfigStatus status() {
    return state.status();
  }

  /**
   * Waits until every service's discovery has answered once, at most {@code timeout} in all.
   * Returns false if some service is still waiting.
   */
  public boolean awaitDiscovery(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ServiceGeneration service : generations()) {
      if (!service.runtime().awaitFirstSnapshot(Math.max(0, deadline - System.nanoTime()))) {
        return false;
      }
    }
    return true;
  }

  /** The services whose discovery has not answered yet, with their sources and last errors. */
  public String waitingServices() {
    StringBuilder text = new StringBuilder();
    for (ServiceGeneration service : generations()) {
      ServiceRuntime runtime = service.runtime();
      if (runtime.endpointSet().snapshot() == null) {
        DiscoveryHealth health = runtime.health();
        text.append(text.length() == 0 ? "" : "; ")
            .append("service '")
            .append(runtime.service())
            .append("' from ")
            .append(health.source())
            .append(
                health
                    .lastError()
                    .map(error -> " (last error: " + error + ")")
                    .orElse(" (no answer, no error)"));
      }
    }
    return text.toString();
  }

  @Override
  public ConfigStatus apply(
      List<ServiceConfig> services, String source, String version, List<String> warnings) {
    Objects.requireNonNull(services, "services");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(warnings, "warnings");
    synchronized (lock) {
      if (closed) {
        throw new IllegalStateException(
            "the mesh is closed; configuration " + source + " version " + version + " not applied");
      }
      State before = state;
      ConfigSwap swap = new ConfigSwap(before.byHost(), security, parts.clock(), this::newRuntime);
      try {
        swap.prepare(new ArrayList<>(services));
      } catch (RuntimeException e) {
        swap.abandon();
        MeshConfigException refused =
            e instanceof MeshConfigException config
                ? config
                : new MeshConfigException(
                    swap.preparing(), "its configuration", "one the mesh can start; " + e);
        record(source, version, refused.getMessage());
        log.warn(
            "configuration {} version {} refused; generation {} stays in use: {}",
            source,
            version,
            before.status().generation(),
            Redaction.text(refused.getMessage()));
        throw refused;
      }
      swap.install();
      ConfigStatus status =
          new ConfigStatus(
              source,
              version,
              before.status().generation() + 1,
              parts.clock().now(),
              Optional.empty(),
              warnings);
      state = new State(Map.copyOf(swap.next()), status);
      for (ServiceRuntime added : swap.added()) {
        added.startBackground(prober);
      }
      for (Map.Entry<String, ServiceGeneration> service : before.byHost().entrySet()) {
        if (!swap.next().containsKey(service.getKey())) {
          retire(service.getValue().runtime());
        }
      }
      log.info(
          "configuration {} version {} in use as generation {}: added {}, changed {}, removed {}",
          source,
          version,
          status.generation(),
          swap.added().stream().map(ServiceRuntime::service).toList(),
          swap.changes(),
          before.byHost().keySet().stream()
              .filter(host -> !swap.next().containsKey(host))
              .toList());
      return status;
    }
  }

  @Override
  public void rejected(String source, String version, String error) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(error, "error");
    synchronized (lock) {
      record(source, version, error);
      log.warn(
          "configuration {} version {} rejected; generation {} stays in use: {}",
          source,
          version,
          state.status().generation(),
          Redaction.text(error));
    }
  }

  private void record(String source, String version, String message) {
    State now = state;
    ConfigStatus status = now.status();
    state =
        new State(
            now.byHost(),
            new ConfigStatus(
                status.source(),
                status.version(),
                status.generation(),
                status.appliedAt(),
                Optional.of(
                    new ConfigStatus.ConfigError(source, version, message, parts.clock().now())),
                status.warnings()));
  }

  /**
   * Replaces the routes of {@code service}: the same swap as {@link #apply}, for one service's
   * routes; the config status stays.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public void replaceRoutes(String service, RouteTable table) {
    synchronized (lock) {
      State before = state;
      ServiceGeneration current = before.byHost().get(service);
      if (current == null) {
        throw new IllegalArgumentException(
            "service '" + service + "' is not configured in this mesh");
      }
      ServiceGeneration next = current.withRoutes(table);
      current.runtime().install(next, null);
      Map<String, ServiceGeneration> byHost = new HashMap<>(before.byHost());
      byHost.put(service, next);
      state = new State(Map.copyOf(byHost), before.status());
    }
    // Route names only: header matches and overrides may carry values that are not for logs.
    log.info(
        "service '{}': routes now {}", service, table.routes().stream().map(Route::name).toList());
  }

  /**
   * Has the services probe health through {@code prober}; false when the mesh is closed or has a
   * prober already.
   */
  public boolean useHealthProber(HealthProber prober) {
    Objects.requireNonNull(prober, "prober");
    synchronized (lock) {
      if (closed || this.prober != null) {
        return false;
      }
      this.prober = prober;
      for (ServiceGeneration service : generations()) {
        service.runtime().useHealthProber(prober);
      }
      return true;
    }
  }

  /**
   * A removed service: discovery, sweeps and health checks stop now; its meters go once its
   * attempts in flight have ended.
   */
  private void retire(ServiceRuntime runtime) {
    runtime.stop();
    draining.add(runtime);
    drain(runtime, System.nanoTime());
  }

  private void drain(ServiceRuntime runtime, long since) {
    if (!draining.contains(runtime)) {
      return; // the mesh closed meanwhile
    }
    if (runtime.attemptsInFlight() > 0 && System.nanoTime() - since < DRAIN_LIMIT.toNanos()) {
      try {
        ScheduledFuture<?> unused =
            parts
                .scheduler()
                .schedule(() -> drain(runtime, since), DRAIN_CHECK.toNanos(), TimeUnit.NANOSECONDS);
        return;
      } catch (RejectedExecutionException closing) {
        // the mesh is closing: release now
      }
    }
    if (draining.remove(runtime)) {
      runtime.closeTelemetry();
    }
  }

  /** Stops every service's discovery and background work and removes their meters. */
  @Override
  public void close() {
    List<ServiceRuntime> runtimes = new ArrayList<>();
    synchronized (lock) {
      closed = true;
      for (ServiceGeneration service : generations()) {
        runtimes.add(service.runtime());
      }
      runtimes.addAll(draining);
      draining.clear();
    }
    for (ServiceRuntime runtime : runtimes) {
      runtime.stop();
      runtime.closeTelemetry();
    }
  }
}

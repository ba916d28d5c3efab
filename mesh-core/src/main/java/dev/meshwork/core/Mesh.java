package dev.meshwork.core;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.internal.BackgroundScheduler;
import dev.meshwork.core.internal.DaemonThreads;
import dev.meshwork.core.internal.MeshAccess;
import dev.meshwork.core.internal.MeshServices;
import dev.meshwork.core.internal.MeshSnapshots;
import dev.meshwork.core.internal.ServiceGeneration;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.UnknownHosts;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.internal.telemetry.DecisionLog;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.MeshTransports.HealthProber;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.PeerSecurity;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The root of a service mesh inside one JVM: the configured services, their live endpoints and the
 * background work that keeps them current. Transports (for example {@code MeshOkHttp} in {@code
 * mesh-okhttp}) send calls through it; they attach with {@link
 * dev.meshwork.core.spi.MeshTransports}.
 *
 * <pre>{@code
 * try (Mesh mesh = Mesh.builder()
 *     .service("mathoid", s -> s.endpoints("127.0.0.1:8081", "127.0.0.1:8082"))
 *     .build()) {
 *   OkHttpClient client = MeshOkHttp.of(mesh).client();
 *   // client.newCall(new Request.Builder().url("http://mathoid/render").build())...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Close it to stop discovery, release the transports' connections and stop the
 * background threads; calls made afterwards fail with {@link MeshException.Closed}.
 *
 * <p>Who owns what: the mesh owns what it creates (discovery watches, transports, threads) and the
 * {@link PeerSecurity} given to {@link MeshBuilder#security}, which it closes when that is {@link
 * AutoCloseable}. mesh-tls's {@code MeshTls} then closes its certificate source only when built
 * with {@code closeSourceWithMesh(true)}; otherwise the source stays the caller's to close.
 */
public final class Mesh implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Mesh.class);

  static {
    MeshAccess.install(
        new MeshAccess() {
          @Override
          public <T> T attach(
              Mesh mesh, Class<T> type, Function<TransportContext, ? extends T> factory) {
            return mesh.attach(type, factory);
          }

          @Override
          public MeshConfigurer configurer(Mesh mesh) {
            return mesh.services;
          }
        });
  }

  private final MeshClock clock;
  private final String localZone;
  private final PeerSecurity security;
  private final Telemetry telemetry;
  private final UnknownHosts unknownHosts;
  private final MeshServices services;
  private final BackgroundScheduler scheduler;
  private final DaemonThreads hedgeThreads =
      new DaemonThreads("meshwork-hedge", Duration.ofSeconds(60));
  private final DaemonThreads updateThreads =
      new DaemonThreads("meshwork-discovery-update", Duration.ofSeconds(30));
  private final DaemonThreads mirrorThreads =
      new DaemonThreads("meshwork-mirror", Duration.ofSeconds(30));
  private final Map<Class<?>, Object> transports = new LinkedHashMap<>();
  private final TransportContext transportContext = new MeshTransportContext();
  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final DecisionLog decisions;
  private volatile boolean closed;

  Mesh(MeshBuilder builder, List<ServiceConfig> services, Map<ServiceName, ClientTls> tls) {
    this.clock = builder.clock;
    this.localZone = builder.localZone == null ? "" : builder.localZone;
    this.security = builder.security;
    this.telemetry = builder.telemetry;
    this.unknownHosts =
        UnknownHosts.of(builder.unknownHosts, builder.meshDomains, security != null);
    this.scheduler = new BackgroundScheduler();
    this.decisions = builder.decisions == 0 ? null : new DecisionLog(builder.decisions, clock);
    DiscoveryContext context =
        new DiscoveryContext() {
          @Override
          public MeshClock clock() {
            return clock;
          }

          @Override
          public ScheduledExecutorService scheduler() {
            return scheduler.executor();
          }
        };
    this.services =
        new MeshServices(
            new ServiceRuntime.MeshParts(
                clock,
                Pipeline.standard(),
                () -> closed,
                updateThreads,
                hedgeThreads,
                mirrorThreads,
                builder.randomSeed == null
                    ? ThreadLocalRandom::current
                    : seeded(builder.randomSeed),
                localZone,
                scheduler.executor(),
                context),
            security,
            telemetry,
            decisions);
    try {
      this.services.start(services, tls, builder.awaitDiscovery);
    } catch (RuntimeException e) {
      close();
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new MeshStartupException(
          "interrupted while waiting for discovery: " + this.services.waitingServices());
    }
  }

  /** Starts a mesh configuration. */
  public static MeshBuilder builder() {
    return new MeshBuilder();
  }

  /**
   * What calls to hosts that are not services do; see {@link MeshBuilder#unknownHosts} (and
   * /config).
   */
  public UnknownHostPolicy unknownHosts() {
    return unknownHosts.policy();
  }

  /** The names of the configured services, sorted. */
  public Set<ServiceName> services() {
    Set<ServiceName> names = new TreeSet<>();
    for (ServiceGeneration service : services.generations()) {
      names.add(service.service());
    }
    return Collections.unmodifiableSet(names);
  }

  /**
   * The endpoints the service currently uses (empty before discovery first answers).
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public List<Endpoint> endpoints(String service) {
    EndpointSnapshot snapshot = generation(service).runtime().endpointSet().snapshot();
    return snapshot == null ? List.of() : snapshot.endpoints();
  }

  /**
   * The state of each endpoint of {@code service}: ejection, requests in flight, counts.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public List<EndpointStatus> endpointStatus(String service) {
    return MeshSnapshots.endpoints(
        generation(service).runtime().endpointSet().states(), clock.nanoTime());
  }

  /**
   * The effective configuration of {@code service}, defaults included.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public ServiceConfig config(String service) {
    return generation(service).config();
  }

  /**
   * The subsets and routes calls to {@code service} start with now.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public RouteTable routes(String service) {
    return generation(service).routing().table();
  }

  /**
   * Replaces the subsets and routes of {@code service} on the running mesh, atomically: calls that
   * start afterwards use {@code table}, calls in flight finish on the table they started with.
   * Flipping a blue/green route or moving a canary's weight is a new table built with {@link
   * RouteTable#toBuilder()}. The table was validated when it was built, so this cannot half-apply.
   * The other settings, and the {@link #configStatus()}, stay as they are; a later {@link
   * dev.meshwork.core.spi.MeshConfigurer#apply apply} replaces the routes with its own.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public void replaceRoutes(String service, RouteTable table) {
    Objects.requireNonNull(table, "table");
    generation(service); // names the configured services when it is not one
    services.replaceRoutes(service, table);
  }

  /**
   * How the service's discovery source is doing: status, the time of its last good answer (and so
   * the staleness of the endpoints in use) and its last error.
   *
   * @throws IllegalArgumentException when the service is not configured
   */
  public DiscoveryHealth discoveryHealth(String service) {
    return generation(service).runtime().health();
  }

  /**
   * Waits until every service's discovery has answered once (an empty answer counts), at most
   * {@code timeout} in all. Returns false if some service is still waiting; calls to it fail with
   * {@link MeshException.NoHealthyEndpoints} saying so. See also {@link
   * MeshBuilder#awaitDiscovery}. To answer readiness probes meanwhile, build without {@code
   * awaitDiscovery}, start mesh-admin's {@code MeshAdmin} (its {@code /ready} says 503 until this
   * returns true), then call this.
   */
  public boolean awaitDiscovery(Duration timeout) throws InterruptedException {
    return services.awaitDiscovery(timeout);
  }

  private ServiceGeneration generation(String service) {
    ServiceGeneration generation = services.invoker(service);
    if (generation == null) {
      throw new IllegalArgumentException(
          "service '" + service + "' is not configured in this mesh; configured: " + services());
    }
    return generation;
  }

  /**
   * Which configuration the mesh runs on and how the last attempt to change it went: its source and
   * version ({@value ConfigStatus#BUILDER} and {@code "1"} for a mesh made by the builder), its
   * generation, when it was applied, and the last error. Changed with {@link
   * dev.meshwork.core.spi.MeshConfigurer}.
   */
  public ConfigStatus configStatus() {
    return services.status();
  }

  /**
   * A read-only view of the whole mesh as it is now: settings, services, endpoints, breakers,
   * discovery, routes, certificates and the recent decisions. Later changes do not show in it.
   */
  public MeshSnapshot snapshot() {
    return MeshSnapshots.take(
        clock,
        services.generations(),
        services.status(),
        security,
        localZone,
        unknownHosts,
        telemetry.enabled(),
        decisions);
  }

  /** The mesh's clock. */
  public MeshClock clock() {
    return clock;
  }

  /**
   * Where the mesh's traces and metrics go; {@link Telemetry#disabled()} unless the builder set it.
   * Never null.
   */
  public Telemetry telemetry() {
    return telemetry;
  }

  /** The caller's zone; empty when none was set (zone awareness is then off). */
  public Optional<String> localZone() {
    return localZone.isEmpty() ? Optional.empty() : Optional.of(localZone);
  }

  /** The mesh's peer security; empty when it has none (every service is then plaintext). */
  public Optional<PeerSecurity> security() {
    return Optional.ofNullable(security);
  }

  /** See {@link dev.meshwork.core.spi.MeshTransports#attach}. */
  private <T> T attach(Class<T> type, Function<TransportContext, ? extends T> factory) {
    synchronized (transports) {
      if (closed) {
        throw new IllegalStateException("mesh is closed; cannot create " + type.getName());
      }
      Object existing = transports.get(type);
      if (existing == null) {
        T created =
            Objects.requireNonNull(
                factory.apply(transportContext), "factory returned null for " + type.getName());
        transports.put(type, created);
        if (created instanceof AutoCloseable closeable) {
          closeables.push(closeable);
        }
        existing = created;
      }
      return type.cast(existing);
    }
  }

  /**
   * Stops discovery, closes the attached transports (connection pools), closes the peer security
   * when it is {@link AutoCloseable}, and stops background threads. Idempotent.
   */
  @Override
  public void close() {
    synchronized (transports) {
      if (closed) {
        return;
      }
      closed = true;
    }
    services.close();
    while (!closeables.isEmpty()) {
      closeQuietly(closeables.pop());
    }
    if (security instanceof AutoCloseable owned) {
      closeQuietly(owned); // after the transports that dial with it
    }
    updateThreads.close();
    scheduler.close();
    hedgeThreads.close();
    mirrorThreads.close();
  }

  /** The mesh as its transports see it. */
  private final class MeshTransportContext implements TransportContext {
    @Override
    public ServiceInvoker invoker(String host) {
      return services.invoker(host);
    }

    @Override
    public void admitUnknownHost(String host) throws UnknownMeshHostException {
      unknownHosts.admit(host, Mesh.this::services);
    }

    @Override
    public Set<ServiceName> services() {
      return Mesh.this.services();
    }

    @Override
    public MeshClock clock() {
      return clock;
    }

    @Override
    public Telemetry telemetry() {
      return telemetry;
    }

    @Override
    public boolean useHealthProber(HealthProber prober) {
      return !closed && services.useHealthProber(prober);
    }

    @Override
    public String toString() {
      return "transport context of the mesh of " + services();
    }
  }

  private static Supplier<RandomGenerator> seeded(long seed) {
    // java.util.Random is thread-safe; reproducibility matters more than contention in a seeded
    // mesh.
    Random shared = new Random(seed);
    return () -> shared;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.warn("closing {} failed: {}", closeable, e.toString());
    }
  }
}

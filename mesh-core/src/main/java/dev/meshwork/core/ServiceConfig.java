package dev.meshwork.core;

import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.policy.ZoneAwareness;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the mesh knows of how to call one service: where its endpoints come from and how to
 * balance over them, how to secure them, and how calls to them are timed, retried and guarded.
 *
 * <pre>{@code
 * ServiceConfig mathoid = ServiceConfig.builder("mathoid")
 *     .endpoints("127.0.0.1:8081", "127.0.0.1:8082")
 *     .build();
 * }</pre>
 *
 * <p>Defaults: load balancer {@link LoadBalancers#leastRequest()}, {@link ZoneAwareness#defaults()}
 * (in effect when the mesh has a local zone), {@link SlowStart#disabled()}, {@link
 * Timeouts#defaults()}, {@link RetryPolicy#defaults()}, {@link RetryBudget#defaults()}, {@link
 * CircuitBreakerPolicy#defaults()}, {@link OutlierDetection#defaults()}, {@link
 * ConcurrencyLimits#defaults()}, {@link HealthCheck#disabled()}, no hedging; {@link #toString()}
 * shows them all, "disabled" included.
 *
 * <p>One convention throughout: a policy is never {@code null}; it has {@code defaults()} and, when
 * it can be turned off, {@code disabled()}. A setting that may have no value (the service's own TLS
 * mode, the hedging delay) is read as an {@link Optional}. Builders reject {@code null}.
 */
public final class ServiceConfig {
  private final ServiceName name;
  private final DiscoverySource discovery;
  private final LoadBalancerFactory loadBalancer;
  private final ZoneAwareness zoneAwareness;
  private final SlowStart slowStart;
  private final TlsMode tls;
  private final List<String> peerIdentities;
  private final Timeouts timeouts;
  private final RetryPolicy retries;
  private final RetryBudget retryBudget;
  private final CircuitBreakerPolicy circuitBreaker;
  private final OutlierDetection outlierDetection;
  private final ConcurrencyLimits limits;
  private final HealthCheck healthCheck;
  private final Duration hedgeDelay;
  private final RouteTable routes;

  private ServiceConfig(
      Builder builder, ServiceName name, DiscoverySource discovery, Timeouts timeouts) {
    this.name = name;
    this.discovery = discovery;
    this.loadBalancer = builder.loadBalancer;
    this.zoneAwareness = builder.zoneAwareness;
    this.slowStart = builder.slowStart;
    this.tls = builder.tls;
    this.peerIdentities = List.copyOf(builder.peerIdentities);
    this.timeouts = timeouts;
    this.retries = builder.retries;
    this.retryBudget = builder.retryBudget;
    this.circuitBreaker = builder.circuitBreaker;
    this.outlierDetection = builder.outlierDetection;
    this.limits = builder.limits;
    this.healthCheck = builder.healthCheck;
    this.hedgeDelay = builder.hedgeDelay;
    this.routes = builder.routes;
  }

  private ServiceConfig(ServiceConfig base, RouteTable routes) {
    this.name = base.name;
    this.discovery = base.discovery;
    this.loadBalancer = base.loadBalancer;
    this.zoneAwareness = base.zoneAwareness;
    this.slowStart = base.slowStart;
    this.tls = base.tls;
    this.peerIdentities = base.peerIdentities;
    this.timeouts = base.timeouts;
    this.retries = base.retries;
    this.retryBudget = base.retryBudget;
    this.circuitBreaker = base.circuitBreaker;
    this.outlierDetection = base.outlierDetection;
    this.limits = base.limits;
    this.healthCheck = base.healthCheck;
    this.hedgeDelay = base.hedgeDelay;
    this.routes = routes;
  }

  /**
   * Starts the configuration of the service called {@code name}; the name is checked in {@code
   * build()}.
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  public ServiceName name() {
    return name;
  }

  /** Where the service's endpoints come from. */
  public DiscoverySource discovery() {
    return discovery;
  }

  /** How each attempt's endpoint is chosen. */
  public LoadBalancerFactory loadBalancer() {
    return loadBalancer;
  }

  /** Whether calls prefer the caller's zone; default {@link ZoneAwareness#defaults()}. */
  public ZoneAwareness zoneAwareness() {
    return zoneAwareness;
  }

  /** How new endpoints ramp up; {@link SlowStart#disabled()} (full share at once) by default. */
  public SlowStart slowStart() {
    return slowStart;
  }

  /**
   * The TLS mode the service asked for; empty to take the mesh's default (mutual TLS when the mesh
   * has a {@link dev.meshwork.core.spi.PeerSecurity}, plaintext otherwise).
   */
  public Optional<TlsMode> tls() {
    return Optional.ofNullable(tls);
  }

  /** The identities the service's endpoints may present; empty to derive one from the name. */
  public List<String> peerIdentities() {
    return peerIdentities;
  }

  /** Connect, per-try and overall timeouts, and deadline propagation. */
  public Timeouts timeouts() {
    return timeouts;
  }

  /** When failed attempts are retried; default {@link RetryPolicy#defaults()}. */
  public RetryPolicy retries() {
    return retries;
  }

  /** The bound on retries relative to traffic; default {@link RetryBudget#defaults()}. */
  public RetryBudget retryBudget() {
    return retryBudget;
  }

  /** The service-level breaker; default {@link CircuitBreakerPolicy#defaults()}. */
  public CircuitBreakerPolicy circuitBreaker() {
    return circuitBreaker;
  }

  /** Passive ejection of failing endpoints; default {@link OutlierDetection#defaults()}. */
  public OutlierDetection outlierDetection() {
    return outlierDetection;
  }

  /** Requests in flight, pending and per endpoint; default {@link ConcurrencyLimits#defaults()}. */
  public ConcurrencyLimits limits() {
    return limits;
  }

  /** Active health checks; {@link HealthCheck#disabled()} by default. */
  public HealthCheck healthCheck() {
    return healthCheck;
  }

  /**
   * After how long an idempotent call gets a backup attempt; empty when hedging is off (the
   * default).
   */
  public Optional<Duration> hedgeDelay() {
    return Optional.ofNullable(hedgeDelay);
  }

  /**
   * The service's subsets and routes; {@link RouteTable#none()} (every call to every endpoint) by
   * default.
   */
  public RouteTable routes() {
    return routes;
  }

  /** This configuration with {@code routes} in place of its route table. */
  public ServiceConfig withRoutes(RouteTable routes) {
    return new ServiceConfig(this, Objects.requireNonNull(routes, "routes"));
  }

  /** Every setting, defaults included: the service's effective configuration. */
  @Override
  public String toString() {
    return "ServiceConfig{name="
        + name
        + ", discovery="
        + discovery.describe()
        + ", loadBalancer="
        + loadBalancer.name()
        + ", "
        + zoneAwareness
        + ", "
        + slowStart
        + ", tls="
        + (tls == null ? "mesh default" : tls)
        + (peerIdentities.isEmpty() ? "" : ", peerIdentities=" + peerIdentities)
        + ", "
        + timeouts
        + ", "
        + retries
        + ", "
        + retryBudget
        + ", "
        + circuitBreaker
        + ", "
        + outlierDetection
        + ", "
        + limits
        + ", "
        + healthCheck
        + ", hedging="
        + (hedgeDelay == null ? "disabled" : "after " + hedgeDelay.toMillis() + " ms")
        + ", "
        + routes
        + "}";
  }

  /** Collects a service's settings; {@link #build()} validates them all. */
  public static final class Builder {
    private final String name;
    private final List<String> staticEndpoints = new ArrayList<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private DiscoverySource discovery;
    private LoadBalancerFactory loadBalancer = LoadBalancers.leastRequest();
    private ZoneAwareness zoneAwareness = ZoneAwareness.defaults();
    private SlowStart slowStart = SlowStart.disabled();
    private TlsMode tls;
    private final List<String> peerIdentities = new ArrayList<>();
    private Duration connectTimeout = Timeouts.defaults().connect();
    private Duration perTryTimeout;
    private Duration timeout;
    private boolean propagateDeadline;
    private RetryPolicy retries = RetryPolicy.defaults();
    private RetryBudget retryBudget = RetryBudget.defaults();
    private CircuitBreakerPolicy circuitBreaker = CircuitBreakerPolicy.defaults();
    private OutlierDetection outlierDetection = OutlierDetection.defaults();
    private ConcurrencyLimits limits = ConcurrencyLimits.defaults();
    private HealthCheck healthCheck = HealthCheck.disabled();
    private Duration hedgeDelay;
    private RouteTable routes = RouteTable.none();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Static endpoints as {@code host:port} (IPv6 as {@code [addr]:port}); parsed in {@code
     * build()}.
     */
    public Builder endpoints(String... hostAndPorts) {
      staticEndpoints.addAll(List.of(hostAndPorts));
      return this;
    }

    /** Adds static endpoints with weights, zones or labels. */
    public Builder endpoints(Endpoint... endpoints) {
      this.endpoints.addAll(List.of(endpoints));
      return this;
    }

    /** Takes the endpoints from {@code source} instead of a static list. */
    public Builder discovery(DiscoverySource source) {
      this.discovery = Objects.requireNonNull(source, "source");
      return this;
    }

    /** The balancing policy; default {@link LoadBalancers#leastRequest()}. */
    public Builder loadBalancer(LoadBalancerFactory factory) {
      this.loadBalancer = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Whether calls prefer endpoints in the mesh's local zone ({@code Mesh.builder().localZone});
     * default {@link ZoneAwareness#defaults()}; {@link ZoneAwareness#disabled()} opts out.
     */
    public Builder zoneAware(ZoneAwareness zoneAwareness) {
      this.zoneAwareness = Objects.requireNonNull(zoneAwareness, "zoneAwareness");
      return this;
    }

    /** Ramps new endpoints up over a window; default {@link SlowStart#disabled()}. */
    public Builder slowStart(SlowStart slowStart) {
      this.slowStart = Objects.requireNonNull(slowStart, "slowStart");
      return this;
    }

    /**
     * A linear ramp over {@code window} from 10% of the weight: {@code
     * slowStart(SlowStart.of(window))}.
     */
    public Builder slowStart(Duration window) {
      return slowStart(SlowStart.of(window));
    }

    /** The service's TLS mode; by default the mesh's (mutual when it has peer security). */
    public Builder tls(TlsMode mode) {
      this.tls = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The identities (SPIFFE IDs) the service's endpoints may present, replacing the one derived
     * from the service name. Checked when the mesh is built: they must parse for the mesh's peer
     * security, and a service that ends up plaintext may not have any.
     */
    public Builder peerIdentities(String... identities) {
      peerIdentities.addAll(List.of(identities));
      return this;
    }

    /** How long opening a connection to an endpoint may take; default 5 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
      return this;
    }

    /** The bound on each attempt's waits; default none. */
    public Builder perTryTimeout(Duration perTryTimeout) {
      this.perTryTimeout = Objects.requireNonNull(perTryTimeout, "perTryTimeout (none unless set)");
      return this;
    }

    /** The overall deadline of a logical call, retries and back-off included; default none. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout (none unless set)");
      return this;
    }

    /**
     * Sends the remaining deadline downstream in {@value Timeouts#DEADLINE_HEADER}; default off.
     */
    public Builder propagateDeadline(boolean propagate) {
      this.propagateDeadline = propagate;
      return this;
    }

    /** When failed attempts are retried; default {@link RetryPolicy#defaults()}. */
    public Builder retries(RetryPolicy retries) {
      this.retries = Objects.requireNonNull(retries, "retries");
      return this;
    }

    /** The retry budget; default {@link RetryBudget#defaults()}. */
    public Builder retryBudget(RetryBudget budget) {
      this.retryBudget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /** The service-level circuit breaker; default {@link CircuitBreakerPolicy#defaults()}. */
    public Builder circuitBreaker(CircuitBreakerPolicy breaker) {
      this.circuitBreaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    /** Outlier detection; default {@link OutlierDetection#defaults()}. */
    public Builder outlierDetection(OutlierDetection detection) {
      this.outlierDetection = Objects.requireNonNull(detection, "detection");
      return this;
    }

    /** Concurrency limits; default {@link ConcurrencyLimits#defaults()}. */
    public Builder limits(ConcurrencyLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * Active HTTP health checks; default {@link HealthCheck#disabled()} (outlier detection still
     * watches real traffic).
     */
    public Builder healthCheck(HealthCheck check) {
      this.healthCheck = Objects.requireNonNull(check, "check");
      return this;
    }

    /**
     * Hedges idempotent calls: when an attempt has not answered after {@code delay}, a backup
     * attempt goes to another endpoint and the first good answer wins; the other is cancelled. Each
     * backup is a retry for the retry budget and the attempt count. Default off.
     */
    public Builder hedging(Duration delay) {
      this.hedgeDelay = Objects.requireNonNull(delay, "hedging delay (hedging is off unless set)");
      return this;
    }

    /**
     * Sets the service's subsets and routes (canary splits, blue/green, header routing, mirroring,
     * fault injection); replace them later on the live mesh with {@code Mesh.replaceRoutes(service,
     * table)}. Default {@link RouteTable#none()}.
     */
    public Builder routes(RouteTable routes) {
      this.routes = Objects.requireNonNull(routes, "routes");
      return this;
    }

    /**
     * Validates and returns the configuration.
     *
     * @throws MeshConfigException naming the service and the entry that is wrong
     */
    public ServiceConfig build() {
      ServiceName serviceName = new ServiceName(name);
      String field = "service '" + serviceName + "'";
      boolean hasStatic = !staticEndpoints.isEmpty() || !endpoints.isEmpty();
      if (hasStatic && discovery != null) {
        throw new MeshConfigException(
            field + " discovery",
            discovery.describe(),
            "either static endpoints or a discovery source, not both");
      }
      if (!hasStatic && discovery == null) {
        throw new MeshConfigException(
            field + " discovery",
            "none",
            "static endpoints (endpoints(\"host:port\", ...)) or a discovery source");
      }
      DiscoverySource source =
          discovery != null ? discovery : StaticDiscovery.of(parseStatic(field));
      if (source instanceof StaticDiscovery fixed) {
        // A duplicate address is a configuration mistake here, not a runtime surprise.
        EndpointSnapshot.of(serviceName, fixed.endpoints());
      }
      if (hedgeDelay != null) {
        Validate.positive(field + " hedging delay", hedgeDelay);
      }
      Timeouts timeouts;
      try {
        timeouts =
            new Timeouts(
                connectTimeout,
                Optional.ofNullable(perTryTimeout),
                Optional.ofNullable(timeout),
                propagateDeadline);
      } catch (MeshConfigException e) {
        throw new MeshConfigException(field + " " + e.field(), e.value(), e);
      }
      return new ServiceConfig(this, serviceName, source, timeouts);
    }

    private List<Endpoint> parseStatic(String field) {
      List<Endpoint> parsed = new ArrayList<>(staticEndpoints.size() + endpoints.size());
      for (int i = 0; i < staticEndpoints.size(); i++) {
        String entry = staticEndpoints.get(i);
        try {
          parsed.add(Endpoint.parse(entry));
        } catch (MeshConfigException e) {
          throw new MeshConfigException(field + " static endpoint #" + (i + 1), entry, e);
        }
      }
      parsed.addAll(endpoints);
      return parsed;
    }
  }
}

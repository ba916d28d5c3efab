package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.balancer.ZoneRouter;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.resilience.RetryBudgetState;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.internal.resilience.ServiceLimiter;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.Timeouts;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * One service as the pipeline sees it: its name and policies, its live routing, the state the
 * stages consult (breaker, limiter, retry budget, outlier detector, zones), the threads hedges and
 * mirrors run on, and the listeners of its calls. Every call carries its target, and the stages
 * read from it. Immutable but for the live state it points to: the service's runtime builds one per
 * configuration of the service, and a config swap replaces it whole, so a call that started on it
 * keeps its policies and routing to the end. The listeners are shared by every target of the
 * service.
 */
public final class CallTarget {
  private final ServiceName service;
  private final MeshClock clock;
  private final Timeouts timeouts;
  private final RetryPolicy retries;
  private final Duration hedgeDelay;
  private final int maxConnectionsPerEndpoint;
  private final String balancerName;
  private final Routing routing;
  private final boolean tls;
  private final ZoneRouter zones;
  private final ServiceBreaker breaker;
  private final ServiceLimiter limiter;
  private final RetryBudgetState retryBudget;
  private final OutlierDetector outliers;
  private final Supplier<RandomGenerator> random;
  private final Executor hedgeThreads;
  private final Executor mirrorThreads;
  private final BiFunction<EndpointGroup, String, String> noEndpoints;
  private final Listeners listeners;

  private CallTarget(Builder builder) {
    ServiceConfig config = builder.config;
    this.service = config.name();
    this.timeouts = config.timeouts();
    this.retries = config.retries();
    this.hedgeDelay = config.hedgeDelay().orElse(null);
    this.maxConnectionsPerEndpoint = config.limits().maxConnectionsPerEndpoint();
    this.balancerName = config.loadBalancer().name();
    this.clock = Objects.requireNonNull(builder.clock, "clock");
    this.routing = Objects.requireNonNull(builder.routing, "routing");
    this.tls = builder.tls;
    this.listeners = Objects.requireNonNull(builder.listeners, "listeners");
    this.zones = builder.zones;
    this.breaker = builder.breaker;
    this.limiter = Objects.requireNonNull(builder.limiter, "limiter");
    this.retryBudget = Objects.requireNonNull(builder.retryBudget, "retryBudget");
    this.outliers = builder.outliers;
    this.random = Objects.requireNonNull(builder.random, "random");
    this.hedgeThreads = Objects.requireNonNull(builder.hedgeThreads, "hedgeThreads");
    this.mirrorThreads = Objects.requireNonNull(builder.mirrorThreads, "mirrorThreads");
    this.noEndpoints = Objects.requireNonNull(builder.noEndpoints, "noEndpoints");
  }

  /** Starts the target of the service {@code config} configures, with its policies. */
  public static Builder builder(ServiceConfig config, MeshClock clock) {
    return new Builder(config, clock);
  }

  public ServiceName service() {
    return service;
  }

  public MeshClock clock() {
    return clock;
  }

  /** The service's timeouts; a call's own options may override them. */
  public Timeouts timeouts() {
    return timeouts;
  }

  /** The service's retry policy; a call's own options may override parts of it. */
  public RetryPolicy retries() {
    return retries;
  }

  /** The service's hedge delay, or {@code null} when it does not hedge. */
  public Duration hedgeDelay() {
    return hedgeDelay;
  }

  public int maxConnectionsPerEndpoint() {
    return maxConnectionsPerEndpoint;
  }

  /** The name of the service's load balancer, as decisions and spans give it. */
  public String balancerName() {
    return balancerName;
  }

  /** The service's routes. */
  public Routing routing() {
    return routing;
  }

  /** Whether the service's calls use mutual TLS. */
  public boolean tls() {
    return tls;
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

  public ServiceLimiter limiter() {
    return limiter;
  }

  public RetryBudgetState retryBudget() {
    return retryBudget;
  }

  /** The service's outlier detector, or {@code null} when detection is disabled. */
  public OutlierDetector outliers() {
    return outliers;
  }

  /**
   * The generator for traffic splits, mirroring and fault injection: the mesh's seeded one in
   * tests, else the calling thread's.
   */
  public RandomGenerator random() {
    return random.get();
  }

  /** Where hedged attempts run. */
  public Executor hedgeThreads() {
    return hedgeThreads;
  }

  /** Where mirrored copies of calls run. */
  public Executor mirrorThreads() {
    return mirrorThreads;
  }

  /**
   * Why {@code group}, chosen by route {@code route} (either may be {@code null}: the whole
   * service, no route), has no endpoint to call, in words for an exception message.
   */
  public String whyNoEndpoints(EndpointGroup group, String route) {
    return noEndpoints.apply(group, route);
  }

  /** Makes the listeners of this service's calls: every one added, in order. */
  public CallListener.Factory listeners() {
    return listeners.factory;
  }

  /**
   * The listeners of one service's calls (traces and metrics, the mesh's decision log, ...), shared
   * by all its targets: one added is heard by calls that start afterwards, on any target.
   */
  public static final class Listeners {
    private volatile CallListener.Factory factory = CallListener.Factory.NONE;

    /** Every listener added, in order. */
    public CallListener.Factory factory() {
      return factory;
    }

    /** Adds {@code added} after the listeners already there. */
    public synchronized void add(CallListener.Factory added) {
      factory = CallListener.Factory.compose(factory, added);
    }
  }

  /** Collects the pieces of a {@link CallTarget}. */
  public static final class Builder {
    private final ServiceConfig config;
    private final MeshClock clock;
    private Routing routing;
    private boolean tls;
    private Listeners listeners = new Listeners();
    private ZoneRouter zones;
    private ServiceBreaker breaker;
    private ServiceLimiter limiter;
    private RetryBudgetState retryBudget;
    private OutlierDetector outliers;
    private Supplier<RandomGenerator> random;
    private Executor hedgeThreads;
    private Executor mirrorThreads;
    private BiFunction<EndpointGroup, String, String> noEndpoints;

    private Builder(ServiceConfig config, MeshClock clock) {
      this.config = Objects.requireNonNull(config, "config");
      this.clock = clock;
    }

    /** The service's routes, compiled against its endpoint groups. */
    public Builder routing(Routing routing) {
      this.routing = routing;
      return this;
    }

    /** Whether the service's calls use mutual TLS. */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /** The listeners of the service's calls, shared with its other targets. */
    public Builder listeners(Listeners listeners) {
      this.listeners = listeners;
      return this;
    }

    /** The zone narrowing, or {@code null} when zone awareness does not apply. */
    public Builder zones(ZoneRouter zones) {
      this.zones = zones;
      return this;
    }

    /** The circuit breaker, or {@code null} when it is disabled. */
    public Builder breaker(ServiceBreaker breaker) {
      this.breaker = breaker;
      return this;
    }

    public Builder limiter(ServiceLimiter limiter) {
      this.limiter = limiter;
      return this;
    }

    public Builder retryBudget(RetryBudgetState retryBudget) {
      this.retryBudget = retryBudget;
      return this;
    }

    /** The outlier detector, or {@code null} when detection is disabled. */
    public Builder outliers(OutlierDetector outliers) {
      this.outliers = outliers;
      return this;
    }

    public Builder random(Supplier<RandomGenerator> random) {
      this.random = random;
      return this;
    }

    public Builder threads(Executor hedgeThreads, Executor mirrorThreads) {
      this.hedgeThreads = hedgeThreads;
      this.mirrorThreads = mirrorThreads;
      return this;
    }

    /** Puts into words why a group (of a route, either may be {@code null}) has no endpoint. */
    public Builder noEndpoints(BiFunction<EndpointGroup, String, String> noEndpoints) {
      this.noEndpoints = noEndpoints;
      return this;
    }

    public CallTarget build() {
      return new CallTarget(this);
    }
  }
}

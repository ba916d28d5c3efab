package dev.meshwork.core.internal;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.balancer.NamedFactory;
import dev.meshwork.core.internal.balancer.SlowStartLoadBalancer;
import dev.meshwork.core.internal.balancer.ZoneRouter;
import dev.meshwork.core.internal.endpoint.Ramp;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.internal.pipeline.CallTarget;
import dev.meshwork.core.internal.pipeline.Pipeline;
import dev.meshwork.core.internal.resilience.RetryBudgetState;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.internal.resilience.ServiceLimiter;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.internal.routing.Routing;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configuration of one service, as calls see it: the config, the parts built from it (balancer
 * and routing, zones, breaker, limiter, retry budget, outlier detector) and the {@link CallTarget}
 * that hands them to the pipeline. Immutable: a config swap or a route change makes the next
 * generation, and the mesh publishes it in one step. Transports get it as the service's {@link
 * ServiceInvoker}, so a call keeps the generation it started on to its end.
 *
 * <p>The next generation takes over the live state of a part whose policy did not change and builds
 * a fresh one where it did: the breaker, limiter, retry budget and outlier detector each by their
 * own policy; the balancers (of the whole service and of each subset) while the balancer factory
 * and slow start stay the same. Endpoint state is the runtime's and always carries over.
 */
public final class ServiceGeneration implements ServiceInvoker {
  private static final Logger log = LoggerFactory.getLogger(ServiceGeneration.class);

  private final ServiceRuntime runtime;
  private final Pipeline pipeline;
  private final BooleanSupplier meshClosed;
  private final ServiceConfig config;
  private final ClientTls clientTls;

  /** The service's slow start with the mesh clock, or {@code null} when off. */
  private final Ramp ramp;

  /** Makes the balancer of a new endpoint group, wrapped for slow start like the service's. */
  private final Supplier<LoadBalancer> balancers;

  private final Routing routing;

  /**
   * Narrows candidates to the caller's zone, or {@code null} when zone awareness does not apply.
   */
  private final ZoneRouter zones;

  private final ServiceBreaker breaker;
  private final ServiceLimiter limiter;
  private final RetryBudgetState retryBudget;
  private final OutlierDetector outliers;
  private final CallTarget target;

  /**
   * The generation of {@code config} for {@code runtime}, reusing the parts of {@code previous}
   * whose policy is unchanged.
   *
   * @param clientTls the service's client TLS, or {@code null} for plaintext
   * @param previous the generation it replaces, or {@code null} for the service's first
   */
  ServiceGeneration(
      ServiceRuntime runtime,
      ServiceConfig config,
      ClientTls clientTls,
      ServiceGeneration previous) {
    this.runtime = runtime;
    this.pipeline = runtime.pipeline();
    this.meshClosed = runtime.meshClosed();
    this.config = config;
    this.clientTls = clientTls;
    ServiceName name = config.name();
    boolean sameBalancing =
        previous != null
            && previous.config.loadBalancer().equals(config.loadBalancer())
            && previous.config.slowStart().equals(config.slowStart());
    // The built-in balancers draw from the mesh's generator, so a seeded mesh balances
    // reproducibly.
    RandomGenerator balancerRandom = runtime.random().get();
    LoadBalancer balancer =
        NamedFactory.create(config.loadBalancer(), name, runtime.clock(), balancerRandom);
    // A consistent-hashing balancer exists so that a key keeps its endpoint; narrowing by zone or
    // redrawing for slow start would move keys, so both are left out for it. Asked of the balancer
    // itself, so a new hashing balancer (built in or a user's) cannot be missed.
    boolean hashing = balancer.keepsKeysOnEndpoints();
    if (sameBalancing) {
      this.ramp = previous.ramp;
    } else {
      if (hashing && config.slowStart().enabled()) {
        log.warn(
            "service '{}': {} ignores slow start; consistent hashing keeps keys on their endpoints",
            name,
            config.loadBalancer().name());
      }
      this.ramp =
          !config.slowStart().enabled() || hashing
              ? null
              : new Ramp(config.slowStart(), runtime.clock());
    }
    Ramp wrapping = ramp;
    this.balancers =
        () -> {
          LoadBalancer created =
              NamedFactory.create(config.loadBalancer(), name, runtime.clock(), balancerRandom);
          return wrapping == null ? created : new SlowStartLoadBalancer(created);
        };
    this.routing =
        sameBalancing
            ? Routing.compile(config.routes(), previous.routing, null, balancers)
            : Routing.compile(
                config.routes(),
                null,
                new EndpointGroup(
                    null, ramp == null ? balancer : new SlowStartLoadBalancer(balancer)),
                balancers);
    String localZone = runtime.localZone();
    this.zones =
        localZone.isEmpty() || !config.zoneAwareness().enabled() || hashing
            ? null
            : previous != null
                    && previous.zones != null
                    && previous.config.zoneAwareness().equals(config.zoneAwareness())
                ? previous.zones
                : new ZoneRouter(localZone, config.zoneAwareness());
    this.breaker =
        !config.circuitBreaker().enabled()
            ? null
            : previous != null
                    && previous.breaker != null
                    && previous.config.circuitBreaker().equals(config.circuitBreaker())
                ? previous.breaker
                : new ServiceBreaker(name, config.circuitBreaker(), runtime.clock());
    this.limiter =
        previous != null && previous.config.limits().equals(config.limits())
            ? previous.limiter
            : new ServiceLimiter(name, config.limits());
    this.retryBudget =
        previous != null && previous.config.retryBudget().equals(config.retryBudget())
            ? previous.retryBudget
            : new RetryBudgetState(config.retryBudget(), runtime.clock());
    this.outliers =
        !config.outlierDetection().enabled()
            ? null
            : previous != null
                    && previous.outliers != null
                    && previous.config.outlierDetection().equals(config.outlierDetection())
                ? previous.outliers
                : runtime.newOutlierDetector(config.outlierDetection());
    this.target = target(routing);
  }

  /** {@code base} with {@code routes}: the same parts, routes compiled anew. */
  private ServiceGeneration(ServiceGeneration base, RouteTable routes) {
    this.runtime = base.runtime;
    this.pipeline = base.pipeline;
    this.meshClosed = base.meshClosed;
    this.config = base.config.withRoutes(routes);
    this.clientTls = base.clientTls;
    this.ramp = base.ramp;
    this.balancers = base.balancers;
    this.routing = Routing.compile(routes, base.routing, null, balancers);
    this.zones = base.zones;
    this.breaker = base.breaker;
    this.limiter = base.limiter;
    this.retryBudget = base.retryBudget;
    this.outliers = base.outliers;
    this.target = target(routing);
  }

  private CallTarget target(Routing routing) {
    return CallTarget.builder(config, runtime.clock())
        .routing(routing)
        .tls(clientTls != null)
        .listeners(runtime.callListeners())
        .zones(zones)
        .breaker(breaker)
        .limiter(limiter)
        .retryBudget(retryBudget)
        .outliers(outliers)
        .random(runtime.random())
        .threads(runtime.hedgeThreads(), runtime.mirrorThreads())
        .noEndpoints(runtime::whyNoEndpoints)
        .build();
  }

  /** This generation with {@code routes} in place of its route table. */
  ServiceGeneration withRoutes(RouteTable routes) {
    return new ServiceGeneration(this, routes);
  }

  @Override
  public ServiceName service() {
    return config.name();
  }

  @Override
  public ClientTls clientTls() {
    return clientTls;
  }

  @Override
  public <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException {
    if (meshClosed.getAsBoolean()) {
      throw new MeshException.Closed(config.name());
    }
    return pipeline.execute(target, request, exchange);
  }

  /** The service's runtime: its endpoints, discovery and background work. */
  public ServiceRuntime runtime() {
    return runtime;
  }

  public ServiceConfig config() {
    return config;
  }

  /** The service's slow start with the mesh clock, or {@code null} when off. */
  Ramp ramp() {
    return ramp;
  }

  /** The routes calls of this generation start with. */
  public Routing routing() {
    return routing;
  }

  /** The zone narrowing, or {@code null} when zone awareness does not apply. */
  public ZoneRouter zones() {
    return zones;
  }

  /** The circuit breaker, or {@code null} when it is disabled. */
  public ServiceBreaker breaker() {
    return breaker;
  }

  /** The outlier detector, or {@code null} when detection is disabled. */
  public OutlierDetector outliers() {
    return outliers;
  }

  /** The service as the pipeline sees it in this generation. */
  public CallTarget target() {
    return target;
  }
}

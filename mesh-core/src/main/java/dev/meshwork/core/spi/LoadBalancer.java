package dev.meshwork.core.spi;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.List;

/**
 * Chooses the endpoint for one attempt. One instance serves one service and is called concurrently
 * from many threads, so implementations keep their state in atomics, never locks.
 *
 * <p>The mesh has already narrowed the candidates (route subset, ejected endpoints, endpoints
 * already tried in this call); the balancer only chooses among what it is given. It must return one
 * of the candidates, which the generic signature enforces.
 *
 * <p>Nested here: the {@link LoadBalancerFactory} that makes one per service (what {@link
 * LoadBalancers} returns), the {@link EndpointView} it reads and the {@link PickContext} of a pick.
 */
public interface LoadBalancer {

  /**
   * Picks one of {@code candidates}.
   *
   * @param candidates never empty; the same list instance until the endpoint set changes, so a
   *     balancer may cache per-list tables by identity
   */
  <E extends EndpointView> E pick(List<E> candidates, PickContext context);

  /**
   * The service's endpoint set changed to {@code endpoints}; called on the discovery thread before
   * any call sees the new list, so a balancer can build its tables (hash rings, weighted schedules)
   * here rather than on a call's thread. The same list instance is later passed to {@link #pick}
   * while no endpoint is filtered out.
   */
  default void update(List<? extends EndpointView> endpoints) {}

  /**
   * Calls will also pass each of {@code lists} to {@link #pick}: lists narrowed from the current
   * candidates, such as the caller's zone or the other zones under zone awareness. Called before
   * any call sees them, on the thread that narrowed them, so a balancer with per-list tables can
   * build theirs here, as {@link #update} does for the whole set, rather than walk a list per pick.
   * They replace the lists given last time; an empty {@code lists} drops them. Other lists (the
   * untried endpoints of a retry) still reach {@link #pick} unannounced.
   */
  default void prepareNarrowed(List<? extends List<? extends EndpointView>> lists) {}

  /**
   * Whether this balancer keeps each request key on one endpoint while the endpoint set holds
   * (consistent hashing). The mesh then leaves out what would move keys: zone awareness, which
   * narrows the candidates as zone health changes, and slow start, which redraws picks of a ramping
   * endpoint. False unless overridden; the built-in ring hash and Maglev say true.
   */
  default boolean keepsKeysOnEndpoints() {
    return false;
  }

  /**
   * Creates the {@link LoadBalancer} of one service when the mesh is built. See {@link
   * LoadBalancers}.
   */
  interface LoadBalancerFactory {

    /** A new balancer for {@code service}; {@code clock} is the mesh's clock. */
    LoadBalancer create(ServiceName service, MeshClock clock);

    /**
     * The policy's name as it appears in the effective configuration, for example {@code
     * round_robin}.
     */
    String name();
  }

  /**
   * What a balancer may read of an endpoint: the endpoint itself and its live statistics.
   * Statistics survive discovery updates for as long as the endpoint's address stays.
   */
  interface EndpointView {

    /** The endpoint as discovery last described it. */
    Endpoint endpoint();

    /** Attempts in flight on this endpoint right now. */
    int activeRequests();

    /**
     * The endpoint's latency as a peak-EWMA estimate at {@code nowNanos} (mesh clock): 30 ms before
     * the first answer, decaying toward zero with a 10 s time constant while idle.
     */
    double latencyEstimateNanos(long nowNanos);

    /**
     * The share of its weight the endpoint should get now, in (0, 1]: below 1 while it ramps up
     * under the service's {@link SlowStart} (mesh clock), 1 otherwise and when slow start is off.
     * The built-in balancers apply it for the mesh; a custom balancer may use it the same way.
     */
    default double slowStartFactor() {
      return 1.0;
    }
  }

  /** What a balancer may know of the call it picks for. */
  interface PickContext {

    /** The logical request being sent. */
    MeshRequest request();

    /** 0 for the first attempt of the call, 1 for the first retry, and so on. */
    int attempt();
  }
}

package dev.meshwork.core.balancer;

import java.util.List;

/**
 * Chooses the endpoint for one attempt. One instance serves one service and is called concurrently
 * from many threads, so implementations keep their state in atomics, never locks.
 *
 * <p>The mesh has already narrowed the candidates (route subset, ejected endpoints, endpoints
 * already tried in this call); the balancer only chooses among what it is given. It must return one
 * of the candidates, which the generic signature enforces.
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
}

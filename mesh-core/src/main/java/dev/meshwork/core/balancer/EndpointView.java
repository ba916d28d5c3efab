package dev.meshwork.core.balancer;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.policy.SlowStart;

/**
 * What a balancer may read of an endpoint: the endpoint itself and its live statistics. Statistics
 * survive discovery updates for as long as the endpoint's address stays.
 */
public interface EndpointView {

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
   * The share of its weight the endpoint should get now, in (0, 1]: below 1 while it ramps up under
   * the service's {@link SlowStart} (mesh clock), 1 otherwise and when slow start is off. The
   * built-in balancers apply it for the mesh; a custom balancer may use it the same way.
   */
  default double slowStartFactor() {
    return 1.0;
  }
}

package dev.meshwork.core.balancer;

import dev.meshwork.core.Endpoint;

/**
 * What a balancer may read of an endpoint: the endpoint itself and its live statistics.
 * Statistics survive discovery updates for as long as the endpoint's address stays.
 */
public interface EndpointView {

  /** The endpoint as discovery last described it. */
  Endpoint endpoint();

  /** Attempts in flight on this endpoint right now. */
  int activeRequests();

  /**
   * The endpoint's latency as a peak-EWMA estimate at {@code nowNanos} (mesh clock): 30 ms
   * before the first answer, decaying toward zero with a 10 s time constant while idle.
   */
  double latencyEstimateNanos(long nowNanos);
}

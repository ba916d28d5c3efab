package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.balancer.EndpointView;

/** An endpoint as discovery last described it, joined to the statistics of its address. */
public final class EndpointState implements EndpointView {
  private final Endpoint endpoint;
  private final EndpointStats stats;

  public EndpointState(Endpoint endpoint, EndpointStats stats) {
    this.endpoint = endpoint;
    this.stats = stats;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  public EndpointStats stats() {
    return stats;
  }

  @Override
  public int activeRequests() {
    return stats.activeRequests();
  }

  @Override
  public double latencyEstimateNanos(long nowNanos) {
    return stats.latencyEstimateNanos(nowNanos);
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}

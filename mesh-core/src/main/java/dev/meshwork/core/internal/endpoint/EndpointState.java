package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;

/** An endpoint as discovery last described it, joined to the statistics of its address. */
public final class EndpointState implements EndpointView {
  private final Endpoint endpoint;
  private final EndpointStats stats;
  private final Ramp ramp;

  /**
   * {@link Endpoint#address()}, formatted on first use: decision details and spans want it per
   * attempt, and the record cannot keep it. Not volatile: a thread that misses it formats the same
   * immutable string again. Lazy, so a discovery update of thousands of endpoints formats none.
   */
  private String address;

  /** A state without slow start. */
  public EndpointState(Endpoint endpoint, EndpointStats stats) {
    this(endpoint, stats, null);
  }

  /**
   * @param ramp the service's slow start, or {@code null} when it has none
   */
  public EndpointState(Endpoint endpoint, EndpointStats stats, Ramp ramp) {
    this.endpoint = endpoint;
    this.stats = stats;
    this.ramp = ramp;
  }

  @Override
  public Endpoint endpoint() {
    return endpoint;
  }

  /** The endpoint's {@code host:port}, formatted once per state. */
  public String address() {
    String known = address;
    if (known == null) {
      known = endpoint.address();
      address = known;
    }
    return known;
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
  public double slowStartFactor() {
    if (ramp == null) {
      return 1.0;
    }
    long start = stats.rampStartNanos();
    if (start == EndpointStats.NOT_RAMPING) {
      return 1.0;
    }
    double factor = ramp.policy().factorAt(ramp.clock().nanoTime() - start);
    if (factor >= 1.0) {
      // Later picks skip the clock read.
      stats.rampEnded(start);
    }
    return factor;
  }

  @Override
  public String toString() {
    return endpoint.toString();
  }
}

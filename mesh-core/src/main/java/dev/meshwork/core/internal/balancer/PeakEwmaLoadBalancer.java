package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.PeakEwma;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Latency-aware power of two choices (Finagle's and Linkerd's peak-EWMA): of two random endpoints,
 * take the one whose expected wait, peak-EWMA latency times (requests in flight + 1) divided by
 * weight, is lower. A slow endpoint is avoided from its first slow answer; once idle its estimate
 * decays and it is probed again.
 */
public final class PeakEwmaLoadBalancer implements LoadBalancer {
  private final RandomGenerator random;
  private final MeshClock clock;

  /** Made once: {@code this::better} written at the call would be an allocation per pick. */
  private final TwoChoices.Preference<EndpointView> lowerCost = this::better;

  public PeakEwmaLoadBalancer(RandomGenerator random, MeshClock clock) {
    this.random = random;
    this.clock = clock;
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    return TwoChoices.pick(candidates, random, lowerCost);
  }

  private boolean better(EndpointView candidate, EndpointView other) {
    if (candidate instanceof EndpointState a && other instanceof EndpointState b) {
      // The mesh's own states: compared without the clock (see PeakEwma.lowerWait).
      return PeakEwma.lowerWait(
          a.stats(), LeastRequestLoadBalancer.load(a), b.stats(), LeastRequestLoadBalancer.load(b));
    }
    long now = clock.nanoTime();
    return cost(candidate, now) < cost(other, now);
  }

  private static double cost(EndpointView endpoint, long now) {
    return endpoint.latencyEstimateNanos(now) * LeastRequestLoadBalancer.load(endpoint);
  }
}

package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Least request with the power of two choices (Envoy's default balancer): draw two distinct
 * endpoints at random and take the one with fewer requests in flight, relative to its weight. O(1)
 * per pick at any endpoint count, and it never herds all callers onto the one idle endpoint the way
 * a global "least loaded" scan does.
 */
public final class LeastRequestLoadBalancer implements LoadBalancer {
  /** Made once: a preference built per pick would be an allocation per pick. */
  private static final TwoChoices.Preference<EndpointView> FEWER_IN_FLIGHT =
      (a, b) -> load(a) < load(b);

  private final RandomGenerator random;

  public LeastRequestLoadBalancer(RandomGenerator random) {
    this.random = random;
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    return TwoChoices.pick(candidates, random, FEWER_IN_FLIGHT);
  }

  /** (requests in flight + 1) / weight: how busy an endpoint is for its share. */
  static double load(EndpointView endpoint) {
    return (endpoint.activeRequests() + 1.0) / endpoint.endpoint().weight();
  }
}

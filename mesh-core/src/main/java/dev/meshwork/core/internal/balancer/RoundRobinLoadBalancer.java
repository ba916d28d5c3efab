package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands out candidates in turn, ignoring weights; one shared counter, so concurrent callers also
 * spread evenly.
 */
public final class RoundRobinLoadBalancer implements LoadBalancer {
  public static final LoadBalancerFactory FACTORY =
      new NamedFactory("round_robin", (service, clock, random) -> new RoundRobinLoadBalancer());

  private final AtomicInteger next = new AtomicInteger();

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
  }
}

package dev.meshwork.core;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A user's own hashing balancer, which the mesh cannot know by its class: the {@code x-user}
 * header's hash modulo the candidates. It declares that it keeps keys on their endpoints, and
 * counts its picks so a test sees whether the mesh asked it again.
 */
final class KeyedBalancer implements LoadBalancer {
  static final String KEY = "x-user";

  final AtomicInteger picks = new AtomicInteger();

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    picks.incrementAndGet();
    return candidates.get(
        Math.floorMod(context.request().header(KEY).hashCode(), candidates.size()));
  }

  @Override
  public boolean keepsKeysOnEndpoints() {
    return true;
  }

  /** A factory handing out this very instance, so the test can read its count. */
  LoadBalancerFactory factory() {
    LoadBalancer self = this;
    return new LoadBalancerFactory() {
      @Override
      public LoadBalancer create(ServiceName service, MeshClock clock) {
        return self;
      }

      @Override
      public String name() {
        return "keyed(" + KEY + ")";
      }
    };
  }
}

package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.util.List;

/**
 * Applies slow start to any balancer by rejection: an endpoint the inner balancer picks is kept
 * with probability equal to its {@link EndpointView#slowStartFactor()}, else the inner balancer
 * picks again. So a ramping endpoint's share is its share under the inner policy times its factor
 * (exactly, for the weighted policies at equal load), and the inner balancer keeps its tables:
 * nothing is rebuilt as the factor grows. An endpoint that is not ramping costs one volatile read.
 */
public final class SlowStartLoadBalancer implements LoadBalancer {
  /**
   * Draws before the last one is kept whatever its factor; it only matters when nearly every
   * endpoint ramps, where all factors are alike and the last draw is as good as any.
   */
  static final int MAX_DRAWS = 16;

  private final LoadBalancer inner;
  private final Equidistributed acceptance = new Equidistributed();

  public SlowStartLoadBalancer(LoadBalancer inner) {
    this.inner = inner;
  }

  @Override
  public void update(List<? extends EndpointView> endpoints) {
    inner.update(endpoints);
  }

  @Override
  public void prepareNarrowed(List<? extends List<? extends EndpointView>> lists) {
    inner.prepareNarrowed(lists);
  }

  @Override
  public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
    E picked = inner.pick(candidates, context);
    for (int draw = 1; draw < MAX_DRAWS; draw++) {
      double factor = picked.slowStartFactor();
      if (factor >= 1.0 || acceptance.next() < factor) {
        return picked;
      }
      picked = inner.pick(candidates, context);
    }
    return picked;
  }
}

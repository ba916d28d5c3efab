package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import java.util.List;
import java.util.random.RandomGenerator;

/** Weight helpers shared by the weighted balancers. */
final class Weights {
  private Weights() {}

  static boolean allEqual(List<? extends EndpointView> endpoints) {
    int first = endpoints.get(0).endpoint().weight();
    for (int i = 1; i < endpoints.size(); i++) {
      if (endpoints.get(i).endpoint().weight() != first) {
        return false;
      }
    }
    return true;
  }

  /**
   * A weighted random index among {@code endpoints}, in O(n); for lists without a prebuilt table.
   */
  static int randomIndex(List<? extends EndpointView> endpoints, RandomGenerator random) {
    long total = 0;
    for (EndpointView endpoint : endpoints) {
      total += endpoint.endpoint().weight();
    }
    long target = random.nextLong(total);
    for (int i = 0; i < endpoints.size(); i++) {
      target -= endpoints.get(i).endpoint().weight();
      if (target < 0) {
        return i;
      }
    }
    return endpoints.size() - 1;
  }
}

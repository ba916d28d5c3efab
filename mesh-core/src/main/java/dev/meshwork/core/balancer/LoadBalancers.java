package dev.meshwork.core.balancer;

import dev.meshwork.core.internal.balancer.RoundRobinLoadBalancer;

/**
 * The built-in balancing policies.
 *
 * <pre>{@code
 * Mesh.builder().service("mathoid", s -> s
 *     .endpoints("127.0.0.1:8081", "127.0.0.1:8082")
 *     .loadBalancer(LoadBalancers.roundRobin()));
 * }</pre>
 */
public final class LoadBalancers {
  private LoadBalancers() {
  }

  /**
   * Round robin: each endpoint in turn, ignoring weights. The default until the weighted and
   * latency-aware balancers arrive.
   */
  public static LoadBalancerFactory roundRobin() {
    return RoundRobinLoadBalancer.FACTORY;
  }
}

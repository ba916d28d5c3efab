package dev.meshwork.core.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;

/**
 * Creates the {@link LoadBalancer} of one service when the mesh is built. See {@link
 * LoadBalancers}.
 */
public interface LoadBalancerFactory {

  /** A new balancer for {@code service}; {@code clock} is the mesh's clock. */
  LoadBalancer create(ServiceName service, MeshClock clock);

  /**
   * The policy's name as it appears in the effective configuration, for example {@code
   * round_robin}.
   */
  String name();
}

package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.function.BiFunction;

/**
 * A {@link LoadBalancerFactory} from a name (as shown in the effective configuration) and a
 * constructor.
 */
public record NamedFactory(
    String name, BiFunction<ServiceName, MeshClock, LoadBalancer> constructor)
    implements LoadBalancerFactory {

  @Override
  public LoadBalancer create(ServiceName service, MeshClock clock) {
    return constructor.apply(service, clock);
  }

  @Override
  public String toString() {
    return name;
  }
}

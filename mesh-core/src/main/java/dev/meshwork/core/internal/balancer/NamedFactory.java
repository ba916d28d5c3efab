package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A {@link LoadBalancerFactory} from a name (as shown in the effective configuration), the
 * parameters it was made with and a constructor. Two are equal when name and parameters are, so a
 * config swap that names the same policy keeps the service's balancers and their tables.
 */
public record NamedFactory(
    String name,
    List<Object> parameters,
    BiFunction<ServiceName, MeshClock, LoadBalancer> constructor)
    implements LoadBalancerFactory {

  /** A factory without parameters. */
  public NamedFactory(String name, BiFunction<ServiceName, MeshClock, LoadBalancer> constructor) {
    this(name, List.of(), constructor);
  }

  public NamedFactory {
    parameters = List.copyOf(parameters);
  }

  @Override
  public LoadBalancer create(ServiceName service, MeshClock clock) {
    return constructor.apply(service, clock);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NamedFactory that
        && name.equals(that.name)
        && parameters.equals(that.parameters);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + parameters.hashCode();
  }

  @Override
  public String toString() {
    return name;
  }
}

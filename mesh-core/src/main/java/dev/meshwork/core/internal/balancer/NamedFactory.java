package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link LoadBalancerFactory} from a name (as shown in the effective configuration), the
 * parameters it was made with and a constructor. Two are equal when name and parameters are, so a
 * config swap that names the same policy keeps the service's balancers and their tables. A built-in
 * balancer that draws at random takes its generator from the mesh (see {@link #create(
 * LoadBalancerFactory, ServiceName, MeshClock, RandomGenerator)}), so a mesh with a random seed
 * balances reproducibly; its seeded variants ignore that generator for their own.
 */
public record NamedFactory(String name, List<Object> parameters, Constructor constructor)
    implements LoadBalancerFactory {

  /** Makes one balancer of a service. */
  @FunctionalInterface
  public interface Constructor {
    LoadBalancer create(ServiceName service, MeshClock clock, RandomGenerator random);
  }

  /** A factory without parameters. */
  public NamedFactory(String name, Constructor constructor) {
    this(name, List.of(), constructor);
  }

  public NamedFactory {
    parameters = List.copyOf(parameters);
  }

  @Override
  public LoadBalancer create(ServiceName service, MeshClock clock) {
    return constructor.create(service, clock, ThreadLocalRandom.current());
  }

  /**
   * A balancer of {@code service} from {@code factory}: a built-in one draws from {@code random}
   * (the mesh's: seeded, or {@link ThreadLocalRandom}), any other is made as it makes itself.
   */
  public static LoadBalancer create(
      LoadBalancerFactory factory, ServiceName service, MeshClock clock, RandomGenerator random) {
    return factory instanceof NamedFactory named
        ? named.constructor().create(service, clock, random)
        : factory.create(service, clock);
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

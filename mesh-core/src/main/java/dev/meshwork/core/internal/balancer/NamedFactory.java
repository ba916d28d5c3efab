package dev.meshwork.core.internal.balancer;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * A {@link LoadBalancerFactory} from a name (as shown in the effective configuration) and a
 * constructor. A built-in balancer that draws at random takes its generator from the mesh (see
 * {@link #create(LoadBalancerFactory, ServiceName, MeshClock, RandomGenerator)}), so a mesh with a
 * random seed balances reproducibly; its seeded variants ignore that generator for their own.
 */
public record NamedFactory(String name, Constructor constructor) implements LoadBalancerFactory {

  /** Makes one balancer of a service. */
  @FunctionalInterface
  public interface Constructor {
    LoadBalancer create(ServiceName service, MeshClock clock, RandomGenerator random);
  }

  /** A balancer drawing from the calling thread's {@link ThreadLocalRandom}. */
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
  public String toString() {
    return name;
  }
}

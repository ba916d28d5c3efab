package dev.meshwork.core.discovery;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.util.List;

/**
 * A fixed list of endpoints, published once when the mesh starts watching. For local development,
 * tests, and services whose addresses never change.
 *
 * <pre>{@code
 * DiscoverySource source = StaticDiscovery.of(
 *     Endpoint.parse("127.0.0.1:8081"), Endpoint.parse("127.0.0.1:8082"));
 * }</pre>
 */
public final class StaticDiscovery implements DiscoverySource {
  private final List<Endpoint> endpoints;

  private StaticDiscovery(List<Endpoint> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  /** A source that always answers {@code endpoints}. */
  public static StaticDiscovery of(List<Endpoint> endpoints) {
    return new StaticDiscovery(endpoints);
  }

  /** A source that always answers {@code endpoints}. */
  public static StaticDiscovery of(Endpoint... endpoints) {
    return new StaticDiscovery(List.of(endpoints));
  }

  /** The endpoints this source publishes. */
  public List<Endpoint> endpoints() {
    return endpoints;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    listener.onSnapshot(EndpointSnapshot.of(service, endpoints));
    return () -> {};
  }

  /**
   * Equal when both publish the same endpoints (weights, zones and labels included): a config swap
   * that lists the same endpoints keeps the service's watch.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof StaticDiscovery that && endpoints.equals(that.endpoints);
  }

  @Override
  public int hashCode() {
    return endpoints.hashCode();
  }

  @Override
  public String describe() {
    return "static[" + endpoints.size() + " endpoints]";
  }
}

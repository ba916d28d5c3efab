package dev.meshwork.admin;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.util.List;

/**
 * A discovery source that answers only when the test pushes endpoints, as a slow registry would.
 */
final class PushedSource implements DiscoverySource {
  private final String description;
  private volatile DiscoveryListener listener;
  private volatile ServiceName service;

  PushedSource(String description) {
    this.description = description;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    this.service = service;
    this.listener = listener;
    return () -> {};
  }

  /** Publishes {@code endpoints}; the mesh applies them on its update thread shortly after. */
  void push(Endpoint... endpoints) {
    listener.onSnapshot(EndpointSnapshot.of(service, List.of(endpoints)));
  }

  @Override
  public String describe() {
    return description;
  }
}

package dev.meshwork.xds.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * One service's endpoints as the xDS client last accepted them (the union of its clusters'
 * endpoints). It lives as long as the client, so a configuration swap that keeps the service keeps
 * its source, and EDS updates reach the mesh without touching the service's configuration.
 */
public final class XdsEndpointSource implements DiscoverySource {
  private final String service;
  private final Set<DiscoveryListener> listeners = new CopyOnWriteArraySet<>();
  private List<Endpoint> endpoints;

  XdsEndpointSource(String service) {
    this.service = service;
  }

  /**
   * Publishes {@code next} when it differs from what was published. Synchronized with {@link
   * #watch}, so a new watcher never gets an older snapshot after a newer one.
   */
  synchronized void publish(List<Endpoint> next) {
    List<Endpoint> previous = endpoints;
    if (previous != null && previous.equals(next)) {
      return;
    }
    endpoints = List.copyOf(next);
    for (DiscoveryListener listener : listeners) {
      listener.onSnapshot(EndpointSnapshot.of(new ServiceName(service), endpoints));
    }
  }

  @Override
  public synchronized Watch watch(
      ServiceName name, DiscoveryListener listener, DiscoveryContext context) {
    listeners.add(listener);
    List<Endpoint> current = endpoints;
    if (current != null) {
      listener.onSnapshot(EndpointSnapshot.of(name, current));
    }
    return () -> listeners.remove(listener);
  }

  @Override
  public String describe() {
    return "xds[" + service + "]";
  }
}

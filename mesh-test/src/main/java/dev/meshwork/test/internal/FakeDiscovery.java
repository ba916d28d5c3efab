package dev.meshwork.test.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Discovery of a fake service: answers its current endpoints when watched and again on every {@link
 * #publish()}, as a real source answers a deploy.
 */
public final class FakeDiscovery implements DiscoverySource {
  private final String name;
  private final Supplier<List<Endpoint>> endpoints;
  private final Map<DiscoveryListener, ServiceName> watchers = new ConcurrentHashMap<>();

  public FakeDiscovery(String name, Supplier<List<Endpoint>> endpoints) {
    this.name = name;
    this.endpoints = endpoints;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    watchers.put(listener, service);
    listener.onSnapshot(EndpointSnapshot.of(service, endpoints.get()));
    return () -> watchers.remove(listener);
  }

  /** Tells every watcher the current endpoints. */
  public void publish() {
    List<Endpoint> now = endpoints.get();
    watchers.forEach((listener, service) -> listener.onSnapshot(EndpointSnapshot.of(service, now)));
  }

  @Override
  public String describe() {
    return "mesh-test fake service '" + name + "' [" + endpoints.get().size() + " endpoints]";
  }
}

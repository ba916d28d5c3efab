package dev.meshwork.discovery;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.io.IOException;
import java.util.List;

/** A source the test drives by hand, for one service. */
final class PushedSource implements DiscoverySource {
  private final String name;
  private volatile DiscoveryListener listener;
  private volatile ServiceName service;

  PushedSource(String name) {
    this.name = name;
  }

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    this.service = service;
    this.listener = listener;
    return () -> this.listener = null;
  }

  void push(Endpoint... endpoints) {
    listener.onSnapshot(EndpointSnapshot.of(service, List.of(endpoints)));
  }

  void fail(String why) {
    listener.onError(new IOException(why));
  }

  boolean watched() {
    return listener != null;
  }

  @Override
  public String describe() {
    return name;
  }
}

package dev.meshwork.core;

import dev.meshwork.core.discovery.DiscoveryContext;
import dev.meshwork.core.discovery.DiscoveryListener;
import dev.meshwork.core.discovery.DiscoverySource;
import dev.meshwork.core.discovery.Watch;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A discovery source the test drives: it publishes whatever the test pushes, when it pushes. */
final class PushedDiscovery implements DiscoverySource {
  private volatile DiscoveryListener listener;
  private volatile ServiceName service;
  final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    this.service = service;
    this.listener = listener;
    return () -> closed.set(true);
  }

  void push(Endpoint... endpoints) {
    listener.onSnapshot(EndpointSnapshot.of(service, List.of(endpoints)));
  }

  void fail(String why) {
    listener.onError(new java.io.IOException(why));
  }

  @Override
  public String describe() {
    return "pushed";
  }
}

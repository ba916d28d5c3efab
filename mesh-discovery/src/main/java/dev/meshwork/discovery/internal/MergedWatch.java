package dev.meshwork.discovery.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Watches one service through several sources and publishes the union of their last good answers.
 * Each child keeps its own last good snapshot, so one child failing never removes the endpoints
 * another child (or its own earlier answer) supplied. When two children list the same address, the
 * earlier child's entry wins.
 */
public final class MergedWatch implements Watch {
  private final String source;
  private final ServiceName service;
  private final DiscoveryListener listener;
  private final MeshClock clock;
  private final List<DiscoverySource> children;
  private final EndpointSnapshot[] lastGood;
  private final DiscoveryHealth[] health;
  private final List<Watch> watches = new ArrayList<>();

  public MergedWatch(
      String source,
      List<DiscoverySource> children,
      ServiceName service,
      DiscoveryListener listener,
      DiscoveryContext context) {
    this.source = source;
    this.service = service;
    this.listener = listener;
    this.clock = context.clock();
    this.children = children;
    this.lastGood = new EndpointSnapshot[children.size()];
    this.health = new DiscoveryHealth[children.size()];
    for (int i = 0; i < children.size(); i++) {
      health[i] = DiscoveryHealth.waiting(children.get(i).describe());
    }
    try {
      for (int i = 0; i < children.size(); i++) {
        watches.add(children.get(i).watch(service, new Child(i), context));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The listener one child publishes to. */
  private final class Child implements DiscoveryListener {
    private final int index;

    Child(int index) {
      this.index = index;
    }

    @Override
    public void onSnapshot(EndpointSnapshot snapshot) {
      EndpointSnapshot merged;
      synchronized (MergedWatch.this) {
        lastGood[index] = snapshot;
        health[index] = health[index].answered(clock.now());
        merged = merge();
      }
      listener.onSnapshot(merged);
    }

    @Override
    public void onError(Throwable error) {
      synchronized (MergedWatch.this) {
        health[index] = health[index].failed(clock.now(), String.valueOf(error.getMessage()));
      }
      listener.onError(
          new SourceFailure(
              source,
              service,
              "part "
                  + children.get(index).describe()
                  + " failed: "
                  + error.getMessage()
                  + "; its last good endpoints stay in use",
              error));
    }
  }

  private EndpointSnapshot merge() {
    Map<String, Endpoint> byAddress = new LinkedHashMap<>();
    for (EndpointSnapshot snapshot : lastGood) {
      if (snapshot != null) {
        for (Endpoint endpoint : snapshot.endpoints()) {
          byAddress.putIfAbsent(endpoint.address(), endpoint);
        }
      }
    }
    return EndpointSnapshot.of(service, List.copyOf(byAddress.values()));
  }

  @Override
  public synchronized Optional<DiscoveryHealth> health() {
    List<DiscoveryHealth> parts = new ArrayList<>(health.length);
    for (int i = 0; i < health.length; i++) {
      DiscoveryHealth own = i < watches.size() ? watches.get(i).health().orElse(null) : null;
      parts.add(own != null ? own : health[i]);
    }
    return Optional.of(DiscoveryHealth.combine(source, parts));
  }

  @Override
  public void close() {
    for (Watch watch : watches) {
      watch.close();
    }
  }
}

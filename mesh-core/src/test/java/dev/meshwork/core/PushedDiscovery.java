package dev.meshwork.core;

import dev.meshwork.core.internal.ServiceSource;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** A discovery source the test drives: it publishes whatever the test pushes, when it pushes. */
public final class PushedDiscovery implements DiscoverySource {
  private volatile DiscoveryListener listener;
  private volatile ServiceName service;
  final AtomicBoolean closed = new AtomicBoolean();

  @Override
  public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
    this.service = service;
    this.listener = listener;
    return () -> closed.set(true);
  }

  /**
   * Publishes {@code endpoints} and returns once the mesh uses them (updates apply on another
   * thread).
   */
  public void push(Endpoint... endpoints) {
    listener.onSnapshot(EndpointSnapshot.of(service, List.of(endpoints)));
    if (listener instanceof ServiceSource source) {
      try {
        if (!source.awaitUpdates(Duration.ofSeconds(10))) {
          throw new AssertionError("the mesh did not apply the pushed endpoints within 10 s");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** Whether the mesh ever started watching this source. */
  public boolean watched() {
    return listener != null;
  }

  public void fail(String why) {
    listener.onError(new java.io.IOException(why));
  }

  @Override
  public String describe() {
    return "pushed";
  }
}

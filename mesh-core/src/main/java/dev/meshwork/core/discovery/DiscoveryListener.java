package dev.meshwork.core.discovery;

import dev.meshwork.core.EndpointSnapshot;

/**
 * Receives what a {@link DiscoverySource} learns about one service. Implementations are
 * thread-safe.
 */
public interface DiscoveryListener {

  /** The source has an authoritative new set of endpoints; it replaces the previous one whole. */
  void onSnapshot(EndpointSnapshot snapshot);

  /** The source could not answer; the last good snapshot stays in use. */
  void onError(Throwable error);
}

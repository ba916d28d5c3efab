package dev.meshwork.core.discovery;

import dev.meshwork.core.ServiceName;

/**
 * Where a service's endpoints come from. A source pushes whole {@link
 * dev.meshwork.core.EndpointSnapshot snapshots} to the mesh whenever it learns something new.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #watch} returns quickly; slow work (queries, watches) runs on the context's
 *       scheduler or the source's own threads, never on the caller's.
 *   <li>Publish a snapshot only for an authoritative answer. When the source itself fails, call
 *       {@link DiscoveryListener#onError} instead: the mesh keeps the last good endpoints.
 *   <li>Stop publishing once the returned {@link Watch} is closed.
 * </ul>
 */
public interface DiscoverySource {

  /**
   * Starts following {@code service}, delivering snapshots to {@code listener} until the result is
   * closed. A source may publish the first snapshot before this method returns.
   */
  Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context);

  /** A short description for errors and the admin view, for example {@code static[3 endpoints]}. */
  String describe();
}

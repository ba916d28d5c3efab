package dev.meshwork.core.discovery;

import dev.meshwork.core.MeshClock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the mesh lends a {@link DiscoverySource}: its clock, and its small background scheduler for
 * refreshes. Sources must not shut the scheduler down; the mesh owns it.
 */
public interface DiscoveryContext {

  /** The mesh's clock. */
  MeshClock clock();

  /**
   * The mesh's shared background scheduler (daemon threads, named {@code meshwork-background-N}).
   */
  ScheduledExecutorService scheduler();
}

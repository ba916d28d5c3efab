package dev.meshwork.core.discovery;

import java.util.Optional;

/** A running {@link DiscoverySource#watch watch}; closing it stops its updates. Idempotent. */
@FunctionalInterface
public interface Watch extends AutoCloseable {

  @Override
  void close();

  /**
   * The source's own account of its health, for sources that know more than the listener callbacks
   * tell (a composite source reports each child). Empty by default: the mesh then derives the
   * health from the {@link DiscoveryListener} callbacks it received.
   */
  default Optional<DiscoveryHealth> health() {
    return Optional.empty();
  }
}

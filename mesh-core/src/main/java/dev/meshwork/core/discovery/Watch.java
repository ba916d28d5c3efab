package dev.meshwork.core.discovery;

/** A running {@link DiscoverySource#watch watch}; closing it stops its updates. Idempotent. */
@FunctionalInterface
public interface Watch extends AutoCloseable {

  @Override
  void close();
}

package dev.meshwork.core.spi;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every Meshwork thread is a daemon named after its purpose, and no two share a name. */
class MeshThreadsTest {

  @Test
  void daemonThreadsNamedByPrefixUniqueAcrossFactories() {
    Thread first = MeshThreads.named("meshwork-test").newThread(() -> {});
    Thread second = MeshThreads.named("meshwork-test").newThread(() -> {});
    assertTrue(first.isDaemon() && second.isDaemon());
    assertTrue(first.getName().matches("meshwork-test-\\d+"), first.getName());
    assertNotEquals(first.getName(), second.getName());
  }
}

package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4 in its reduced form (DNS, the endpoints file and the Kubernetes API away for 10 s): no
 * failed call to the unchanged endpoints, recovery within 5 s of each source's return.
 */
class DiscoveryOutageTest {
  @Test
  void reducedFormMeetsEveryTarget() throws Exception {
    Targets.assertMet(DiscoveryOutage.run(Options.reduced(), MeshClock.system()));
  }
}

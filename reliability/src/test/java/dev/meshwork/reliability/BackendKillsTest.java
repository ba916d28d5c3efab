package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1 in its reduced form (50 kills at 200 calls/s): no call lost, no POST delivered twice,
 * at least 99.9% of GETs answered, every POST failure an exception naming the endpoint.
 */
class BackendKillsTest {
  @Test
  void reducedFormMeetsEveryTarget() throws Exception {
    Targets.assertMet(BackendKills.run(Options.reduced(), MeshClock.system()));
  }
}

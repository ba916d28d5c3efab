package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5 in its reduced form (15,000 calls after 4,000 of warm-up, with 10% errors, 5%
 * cancellations and 2% timeouts): resources and per-call structures flat, no call lost.
 */
class SoakTest {
  @Test
  void reducedFormMeetsEveryTarget() throws Exception {
    Targets.assertMet(Soak.run(Options.reduced(), MeshClock.system()));
  }
}

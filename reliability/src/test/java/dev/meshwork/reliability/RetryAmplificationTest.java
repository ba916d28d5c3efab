package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2 in its reduced form (10 s of 503s at 200 calls/s): attempts within the retry budget's
 * bound, and recovery within the breaker's open time plus 5 s after the heal.
 */
class RetryAmplificationTest {
  @Test
  void reducedFormMeetsEveryTarget() throws Exception {
    Targets.assertMet(RetryAmplification.run(Options.reduced(), MeshClock.system()));
  }
}

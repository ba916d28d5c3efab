package dev.meshwork.reliability;

import dev.meshwork.core.MeshClock;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3 in its reduced form (30 s at 200 calls/s over mutual TLS, a rotation every 5 s and one
 * anchor rotation): no failed call, no connection reused after its anchor was removed.
 */
class CertificateRotationTest {
  @Test
  void reducedFormMeetsEveryTarget() throws Exception {
    Targets.assertMet(CertificateRotation.run(Options.reduced(), MeshClock.system()));
  }
}

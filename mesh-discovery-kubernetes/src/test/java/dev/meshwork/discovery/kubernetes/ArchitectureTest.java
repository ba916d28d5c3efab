package dev.meshwork.discovery.kubernetes;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * Kubernetes discovery feeds the core's SPI and knows nothing of transports or another module's
 * internals.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.discovery.kubernetes");

  @Test
  void kubernetesDiscoverySeesNoMeshTransport() {
    assertNoDependencyOn(MODULE, "okhttp3..", "okio..", "retrofit2..", "dev.meshwork.okhttp..");
  }

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(MODULE, "dev.meshwork.core.internal..");
  }

  /** Packages depend one way. */
  @Test
  void packagesHaveNoCycles() {
    assertNoPackageCycles(MODULE);
  }

  /** Types outside {@code internal} packages are API or SPI and never name an internal type. */
  @Test
  void noPublicSignatureExposesAnInternalType() {
    assertNoPublicSignatureExposesAnInternalType(MODULE);
  }
}

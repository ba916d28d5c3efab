package dev.meshwork.admin;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint renders a mesh from its public snapshot: it sees no transport, crypto provider
 * or module other than mesh-core, and none of the core's internals.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.admin");

  @Test
  void adminSeesNoTransportOrCryptoLibrary() {
    assertNoDependencyOn(MODULE, "okhttp3..", "okio..", "retrofit2..", "org.bouncycastle..");
  }

  @Test
  void adminSeesNoModuleButTheCore() {
    assertNoDependencyOn(
        MODULE, "dev.meshwork.okhttp..", "dev.meshwork.tls..", "dev.meshwork.discovery..");
  }

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(MODULE, "dev.meshwork.core.internal..");
  }

  /**
   * Packages depend one way: {@code MeshAdmin} starts the {@code internal} server, which gets its
   * settings as plain values and never sees the API.
   */
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

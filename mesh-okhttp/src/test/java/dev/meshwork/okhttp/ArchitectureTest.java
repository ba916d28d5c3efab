package dev.meshwork.okhttp;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/** The transport reaches the mesh through its SPI, never through another module's internals. */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.okhttp");

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(
        MODULE,
        "dev.meshwork.core.internal..",
        "dev.meshwork.tls.internal..",
        "dev.meshwork.discovery.internal..");
  }

  /**
   * Packages depend one way: the API uses the {@code internal} transport, which never sees the API
   * (the annotations are read beside them and handed over as {@code CallOptions}).
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

package dev.meshwork.tls;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * mesh-tls serves any transport: it sees mesh-core's SPI types, never a transport, discovery or
 * another module's internals.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.tls");

  @Test
  void tlsSeesNoTransportDiscoveryOrRpcLibrary() {
    assertNoDependencyOn(
        MODULE,
        "okhttp3..",
        "okio..",
        "retrofit2..",
        "dev.meshwork.okhttp..",
        "dev.meshwork.discovery..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(MODULE, "dev.meshwork.core.internal..");
  }

  /**
   * Packages depend one way: the API uses {@code internal}, which knows nothing of the API (code
   * that needs API types is package-private beside them).
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

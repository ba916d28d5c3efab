package dev.meshwork.xds;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The xDS client turns a control plane's resources into the core's public model; it sees no
 * transport and no other module's internals, and it alone sees gRPC and protobuf.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.xds");

  @Test
  void xdsSeesNoMeshTransport() {
    assertNoDependencyOn(MODULE, "okhttp3..", "okio..", "retrofit2..", "dev.meshwork.okhttp..");
  }

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.xds");
  }
}

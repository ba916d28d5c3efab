package dev.meshwork.discovery.kubernetes;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
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

  /** gRPC and protobuf belong to mesh-xds alone. */
  @Test
  void kubernetesDiscoverySeesNoRpcLibrary() {
    assertNoDependencyOn(MODULE, "io.grpc..", "com.google.protobuf..", "dev.meshwork.xds..");
  }

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.discovery.kubernetes");
  }
}

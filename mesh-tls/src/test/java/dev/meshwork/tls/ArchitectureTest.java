package dev.meshwork.tls;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
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

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.tls");
  }
}

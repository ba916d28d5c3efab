package dev.meshwork.okhttp;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.mainClasses;

import org.junit.jupiter.api.Test;

/** The transport reaches the mesh through its SPI, never through another module's internals. */
class ArchitectureTest {

  /** gRPC and protobuf belong to mesh-xds alone; the transport never sees the xDS client. */
  @Test
  void transportSeesNoRpcLibrary() {
    assertNoDependencyOn(
        mainClasses("dev.meshwork.okhttp"),
        "io.grpc..",
        "com.google.protobuf..",
        "dev.meshwork.xds..");
  }

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.okhttp");
  }
}

package dev.meshwork.spring;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.mainClasses;

import org.junit.jupiter.api.Test;

/**
 * The starter builds on the public API of mesh-okhttp and mesh-config only, and its own API names
 * none of its internals.
 */
class ArchitectureTest {

  @Test
  void starterSeesNoCryptoOrGrpc() {
    assertNoDependencyOn(
        mainClasses("dev.meshwork.spring"),
        "org.bouncycastle..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.spring");
  }
}

package dev.meshwork.discovery;

import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * Discovery sources feed the core's SPI and know nothing of transports, TLS or another module's
 * internals.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.discovery");

  @Test
  void discoverySeesNoTransportTlsOrRpcLibrary() {
    assertNoDependencyOn(
        MODULE,
        "okhttp3..",
        "okio..",
        "retrofit2..",
        "dev.meshwork.okhttp..",
        "dev.meshwork.tls..",
        "org.bouncycastle..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.discovery");
  }
}

package dev.meshwork.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.meshwork.core.ArchRules.assertModuleRules;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint renders a mesh from its public snapshot: it sees no transport, crypto provider
 * or module other than mesh-core (and, optionally, mesh-config's API for the mesh document), and
 * none of the core's internals.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.admin");

  @Test
  void adminSeesNoTransportOrCryptoLibrary() {
    assertNoDependencyOn(
        MODULE,
        "okhttp3..",
        "okio..",
        "retrofit2..",
        "org.bouncycastle..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  @Test
  void adminSeesNoModuleButTheCore() {
    assertNoDependencyOn(
        MODULE,
        "dev.meshwork.okhttp..",
        "dev.meshwork.tls..",
        "dev.meshwork.discovery..",
        "dev.meshwork.xds..");
  }

  /**
   * mesh-config is an optional dependency: one page links to it, and only after checking it is on
   * the class path, so every other page works without it.
   */
  @Test
  void onlyTheDocumentPageSeesMeshConfig() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("dev.meshwork.admin.internal.DocumentPage")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.meshwork.config..")
        .check(MODULE);
  }

  /**
   * No other module's {@code internal} package is imported, packages depend one way (the API uses
   * {@code internal}, never the reverse), and the API names no internal type.
   */
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.admin");
  }
}

package dev.meshwork.admin;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint renders a mesh from its public snapshot: it sees no transport, crypto provider
 * or module other than mesh-core, so it serves a mesh whatever transport calls go through.
 */
class ArchitectureTest {
  private static final JavaClasses ADMIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.meshwork.admin");

  @Test
  void adminSeesNoTransportOrCryptoLibrary() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("okhttp3..", "okio..", "retrofit2..", "org.bouncycastle..")
        .check(ADMIN);
  }

  @Test
  void adminSeesNoModuleButTheCore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.meshwork.okhttp..", "dev.meshwork.tls..", "dev.meshwork.discovery..")
        .check(ADMIN);
  }

  @Test
  void importsNoOtherModulesInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.meshwork.core.internal..")
        .check(ADMIN);
  }
}

package dev.meshwork.test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The kit uses the mesh through its API, keeps its own internals out of its API, and never sleeps:
 * neither the kit nor its tests.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.test");

  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(
        MODULE,
        "dev.meshwork.core.internal..",
        "dev.meshwork.tls.internal..",
        "dev.meshwork.okhttp.internal..",
        "dev.meshwork.discovery.internal..");
  }

  @Test
  void packagesHaveNoCycles() {
    assertNoPackageCycles(MODULE);
  }

  @Test
  void noPublicSignatureExposesAnInternalType() {
    assertNoPublicSignatureExposesAnInternalType(MODULE);
  }

  /**
   * Time in the kit is virtual: waiting is moving the clock, or waiting on a condition. A sleep in
   * the kit or in its tests would be real time, slow and flaky.
   */
  @Test
  void neitherTheKitNorItsTestsSleep() {
    JavaClasses kitAndTests = new ClassFileImporter().importPackages("dev.meshwork.test");
    noClasses()
        .should()
        .callMethod(Thread.class, "sleep", long.class)
        .orShould()
        .callMethod(Thread.class, "sleep", long.class, int.class)
        .orShould()
        .callMethod(Thread.class, "sleep", java.time.Duration.class)
        .orShould()
        .callMethod(TimeUnit.class, "sleep", long.class)
        .check(kitAndTests);
  }
}

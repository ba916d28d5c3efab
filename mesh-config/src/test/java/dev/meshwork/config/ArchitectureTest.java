package dev.meshwork.config;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The config module compiles documents onto the public builders: no transport, no other module's
 * internals, no Kubernetes client, no admin server.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.config");

  @Test
  void configSeesNoTransportKubernetesOrAdmin() {
    assertNoDependencyOn(
        MODULE,
        "okhttp3..",
        "retrofit2..",
        "dev.meshwork.okhttp..",
        "dev.meshwork.admin..",
        "dev.meshwork.discovery.kubernetes..",
        "io.fabric8..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    assertNoDependencyOn(
        MODULE,
        "dev.meshwork.core.internal..",
        "dev.meshwork.tls.internal..",
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
}

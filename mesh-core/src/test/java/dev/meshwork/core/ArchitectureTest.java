package dev.meshwork.core;

import static dev.meshwork.core.ArchRules.assertNoDependencyOn;
import static dev.meshwork.core.ArchRules.assertNoPackageCycles;
import static dev.meshwork.core.ArchRules.assertNoPublicSignatureExposesAnInternalType;
import static dev.meshwork.core.ArchRules.mainClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

/**
 * The core stays transport- and crypto-agnostic, so a second transport could sit beside mesh-okhttp
 * without touching it: it sees no HTTP client or server, crypto provider, JSON library or RPC
 * stack, and none of the modules built on it.
 */
class ArchitectureTest {
  private static final JavaClasses MODULE = mainClasses("dev.meshwork.core");

  @Test
  void coreSeesNoTransportCryptoJsonOrRpcLibrary() {
    assertNoDependencyOn(
        MODULE,
        "okhttp3..",
        "okio..",
        "retrofit2..",
        "org.bouncycastle..",
        "com.fasterxml.jackson..",
        "io.grpc..",
        "com.google.protobuf..");
  }

  @Test
  void coreSeesNoModuleBuiltOnIt() {
    assertNoDependencyOn(
        MODULE,
        "dev.meshwork.okhttp..",
        "dev.meshwork.tls..",
        "dev.meshwork.discovery..",
        "dev.meshwork.admin..",
        "dev.meshwork.xds..");
  }

  /**
   * The admin endpoint lives in mesh-admin, built on {@link MeshSnapshot}; the core serves no HTTP.
   */
  @Test
  void coreRunsNoHttpServer() {
    assertNoDependencyOn(MODULE, "com.sun.net.httpserver..");
  }

  /**
   * The internals depend one way: endpoint state; the policies on it (balancer, health, outlier
   * detection, resilience); routing; the pipeline; telemetry, which listens to the pipeline; and
   * the runtime, which builds and wires them.
   */
  @Test
  void internalPackagesHaveNoCycles() {
    assertNoPackageCycles(mainClasses("dev.meshwork.core.internal"));
  }

  /**
   * The pipeline reports through its call listener; tracing, metrics and the decision log implement
   * it, so no stage names them.
   */
  @Test
  void pipelineStagesDoNotImportTelemetryImplementations() {
    assertNoDependencyOn(
        mainClasses("dev.meshwork.core.internal.pipeline"),
        "dev.meshwork.core.internal.telemetry..");
  }

  /** Types outside {@code internal} packages are API or SPI and never name an internal type. */
  @Test
  void noPublicSignatureExposesAnInternalType() {
    assertNoPublicSignatureExposesAnInternalType(MODULE);
  }
}

package dev.meshwork.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The core stays transport- and crypto-agnostic, so a second transport could sit beside
 * mesh-okhttp without touching it: it sees no HTTP client, crypto provider, JSON library or RPC
 * stack, and none of the modules built on it.
 */
class ArchitectureTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meshwork.core");

  @Test
  void coreSeesNoTransportCryptoJsonOrRpcLibrary() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "okhttp3..", "okio..", "retrofit2..", "org.bouncycastle..", "com.fasterxml.jackson..",
            "io.grpc..", "com.google.protobuf..")
        .check(CORE);
  }

  @Test
  void coreSeesNoModuleBuiltOnIt() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "dev.meshwork.okhttp..", "dev.meshwork.tls..", "dev.meshwork.discovery..", "dev.meshwork.admin..")
        .check(CORE);
  }

  /** The admin endpoint lives in mesh-admin, built on {@link MeshSnapshot}; the core serves no HTTP. */
  @Test
  void coreRunsNoHttpServer() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("com.sun.net.httpserver..")
        .check(CORE);
  }
}

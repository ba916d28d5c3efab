package dev.meshwork.tls;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** mesh-tls serves any transport: it sees mesh-core's SPI types, never a transport or discovery. */
class ArchitectureTest {
  private static final JavaClasses TLS = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meshwork.tls");

  @Test
  void tlsSeesNoTransportDiscoveryOrRpcLibrary() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "okhttp3..", "okio..", "retrofit2..", "dev.meshwork.okhttp..", "dev.meshwork.discovery..",
            "io.grpc..", "com.google.protobuf..")
        .check(TLS);
  }
}

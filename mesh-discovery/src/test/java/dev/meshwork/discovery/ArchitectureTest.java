package dev.meshwork.discovery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Discovery sources feed the core's SPI and know nothing of transports or TLS. */
class ArchitectureTest {
  private static final JavaClasses DISCOVERY = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("dev.meshwork.discovery");

  @Test
  void discoverySeesNoTransportTlsOrRpcLibrary() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "okhttp3..", "okio..", "retrofit2..", "dev.meshwork.okhttp..", "dev.meshwork.tls..",
            "org.bouncycastle..", "io.grpc..", "com.google.protobuf..")
        .check(DISCOVERY);
  }
}

package dev.meshwork.discovery;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Discovery sources feed the core's SPI and know nothing of transports or TLS. */
class ArchitectureTest {
  private static final JavaClasses MODULE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.meshwork.discovery");

  @Test
  void discoverySeesNoTransportTlsOrRpcLibrary() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "okhttp3..",
            "okio..",
            "retrofit2..",
            "dev.meshwork.okhttp..",
            "dev.meshwork.tls..",
            "org.bouncycastle..",
            "io.grpc..",
            "com.google.protobuf..")
        .check(MODULE);
  }

  /** Another module's {@code internal} package is its own business, free to change. */
  @Test
  void importsNoOtherModulesInternals() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.meshwork.core.internal..")
        .check(MODULE);
  }

  /**
   * Types outside {@code internal} packages are API or SPI; none of their public signatures (or
   * protected ones a subclass sees) may name an {@code internal} type.
   */
  @Test
  void noPublicSignatureExposesAnInternalType() {
    classes()
        .that()
        .arePublic()
        .and()
        .resideOutsideOfPackage("..internal..")
        .should(EXPOSE_NO_INTERNAL_TYPE)
        .check(MODULE);
  }

  private static final ArchCondition<JavaClass> EXPOSE_NO_INTERNAL_TYPE =
      new ArchCondition<>("expose no internal type in a public signature") {
        @Override
        public void check(JavaClass type, ConditionEvents events) {
          Map<String, JavaType> exposed = new LinkedHashMap<>();
          type.getSuperclass().ifPresent(superclass -> exposed.put("superclass", superclass));
          type.getInterfaces()
              .forEach(
                  implemented -> exposed.put("interface " + implemented.getName(), implemented));
          for (JavaMember member : type.getMembers()) {
            boolean visible =
                member.getModifiers().contains(JavaModifier.PUBLIC)
                    || (member.getModifiers().contains(JavaModifier.PROTECTED)
                        && !type.getModifiers().contains(JavaModifier.FINAL));
            if (!visible) {
              continue;
            }
            if (member instanceof JavaField field) {
              exposed.put(field.getFullName(), field.getType());
            } else if (member instanceof JavaCodeUnit code) {
              exposed.put(code.getFullName() + " returns", code.getReturnType());
              code.getParameterTypes()
                  .forEach(
                      parameter ->
                          exposed.put(
                              code.getFullName() + " takes " + parameter.getName(), parameter));
              code.getThrowsClause()
                  .getTypes()
                  .forEach(
                      thrown ->
                          exposed.put(code.getFullName() + " throws " + thrown.getName(), thrown));
            }
          }
          exposed.forEach(
              (where, exposedType) -> {
                for (JavaClass raw : exposedType.getAllInvolvedRawTypes()) {
                  if (raw.getPackageName().contains(".internal")) {
                    events.add(
                        SimpleConditionEvent.violated(type, where + " exposes " + raw.getName()));
                  }
                }
              });
        }
      };
}

package dev.meshwork.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
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
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dependency rules every module's {@code ArchitectureTest} asserts, in one place (shared
 * through mesh-core's test jar). Each assertion throws {@link AssertionError} naming every
 * violating class and dependency.
 */
public final class ArchRules {
  private ArchRules() {}

  /** The main (not test) classes under {@code rootPackage}. */
  public static JavaClasses mainClasses(String rootPackage) {
    return new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages(rootPackage);
  }

  /**
   * Asserts the rules every module built on the core keeps: it imports no other module's {@code
   * internal} packages, its packages depend one way, and its API names no internal type.
   */
  public static void assertModuleRules(String rootPackage) {
    JavaClasses module = mainClasses(rootPackage);
    noClasses()
        .should()
        .dependOnClassesThat(anotherModulesInternals(rootPackage))
        .because("another module's internal packages are its own business, free to change")
        .check(module);
    assertNoPackageCycles(module);
    assertNoPublicSignatureExposesAnInternalType(module);
  }

  private static DescribedPredicate<JavaClass> anotherModulesInternals(String rootPackage) {
    return new DescribedPredicate<>("reside in another module's internal packages") {
      @Override
      public boolean test(JavaClass type) {
        String name = type.getPackageName();
        return name.startsWith("dev.meshwork.")
            && (name.contains(".internal.") || name.endsWith(".internal"))
            && !name.startsWith(rootPackage + ".");
      }
    };
  }

  /** Asserts that no class of {@code classes} depends on a class in any of {@code packages}. */
  public static void assertNoDependencyOn(JavaClasses classes, String... packages) {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(packages).check(classes);
  }

  /**
   * Asserts that the packages of {@code classes} depend on each other one way: no package depends,
   * directly or through other packages, on a package that depends on it. Each package is its own
   * slice, so a cycle between a package and its subpackage counts too.
   */
  public static void assertNoPackageCycles(JavaClasses classes) {
    slices().assignedFrom(PACKAGES).should().beFreeOfCycles().check(classes);
  }

  /** Every package a slice of its own. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass type) {
          return SliceIdentifier.of(type.getPackageName());
        }

        @Override
        public String getDescription() {
          return "packages";
        }
      };

  /**
   * Asserts that no public type outside an {@code internal} package (API or SPI) names an {@code
   * internal} type in a public signature, or in a protected one a subclass sees.
   */
  public static void assertNoPublicSignatureExposesAnInternalType(JavaClasses classes) {
    classes()
        .that()
        .arePublic()
        .and()
        .resideOutsideOfPackage("..internal..")
        .should(EXPOSE_NO_INTERNAL_TYPE)
        .check(classes);
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

package dev.meshwork.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The finding importers use for a field they cannot honour: MW113, by name and path. */
class RefusalsTest {

  @Test
  void anUnsupportedImportedFieldIsAnErrorInStrictModeAndAWarningOtherwise() {
    String path = "spec.http[0].corsPolicy";
    Finding strict = Refusals.unsupportedField(path, "Meshwork has no CORS handling", true);
    assertEquals("MW113", strict.rule().code());
    assertEquals(LintRule.Level.ERROR, strict.level());
    assertEquals(path, strict.path());
    assertTrue(strict.message().startsWith(path + " is not supported"), strict.message());
    Finding lenient = Refusals.unsupportedField(path, "Meshwork has no CORS handling", false);
    assertEquals(LintRule.Level.WARNING, lenient.level());
    assertTrue(lenient.message().endsWith("it is left out of the mesh"), lenient.message());
  }
}

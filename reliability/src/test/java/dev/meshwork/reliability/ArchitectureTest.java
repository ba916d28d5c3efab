package dev.meshwork.reliability;

import static dev.meshwork.core.ArchRules.assertModuleRules;

import org.junit.jupiter.api.Test;

/** The harness uses Meshwork as an application does: through public API, never an internal. */
class ArchitectureTest {
  @Test
  void keepsTheModuleRules() {
    assertModuleRules("dev.meshwork.reliability");
  }
}

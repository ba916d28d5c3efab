package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The extension registered in code, with its own seed. */
class RegisteredExtensionTest {
  @RegisterExtension static final MeshTestExtension KIT = MeshTestExtension.withSeed(5);

  @Test
  void itsSeedIsTheMeshes(TestMesh mesh) {
    assertEquals(5, mesh.seed());
  }
}

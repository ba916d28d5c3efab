package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.exception.MeshException;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** {@link MeshTest} injects a fresh test mesh per test, seeded as annotated, closed after it. */
@MeshTest(seed = 42)
@TestMethodOrder(OrderAnnotation.class)
class MeshTestExtensionTest {
  private static TestMesh first;

  @Test
  @Order(1)
  void injectsATestMeshSeededByTheClassAnnotation(TestMesh mesh) {
    assertEquals(42, mesh.seed());
    mesh.fake(FakeService.named("mathoid").endpoints(1));
    mesh.start();
    first = mesh;
  }

  @Test
  @Order(2)
  @MeshTest(seed = 7)
  void theMethodAnnotationWinsAndTheLastMeshWasClosed(TestMesh mesh) {
    assertEquals(7, mesh.seed());
    assertThrows(MeshException.Closed.class, () -> Calls.get(first.client(), "http://mathoid/"));
  }
}

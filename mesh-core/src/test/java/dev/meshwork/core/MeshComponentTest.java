package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Components (how transports keep one pool per mesh) are singletons closed with the mesh. */
class MeshComponentTest {
  private final List<String> closed = new ArrayList<>();

  private final class First implements AutoCloseable {
    @Override
    public void close() {
      closed.add("first");
    }
  }

  private final class Second implements AutoCloseable {
    @Override
    public void close() {
      closed.add("second");
    }
  }

  @Test
  void oneInstancePerTypeClosedInReverseOrder() {
    Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:1")).build();
    First first = mesh.component(First.class, m -> new First());
    assertSame(first, mesh.component(First.class, m -> new First()));
    mesh.component(Second.class, m -> new Second());
    mesh.close();
    mesh.close();
    assertEquals(List.of("second", "first"), closed);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> mesh.component(First.class, m -> new First()));
    assertEquals("mesh is closed; cannot create " + First.class.getName(), e.getMessage());
  }
}

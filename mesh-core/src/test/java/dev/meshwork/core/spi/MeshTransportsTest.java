package dev.meshwork.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Transports attach once per type, get the mesh's context, and are closed with the mesh. */
class MeshTransportsTest {
  private final List<String> closed = new ArrayList<>();

  private final class First implements AutoCloseable {
    final TransportContext context;

    First(TransportContext context) {
      this.context = context;
    }

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
    First first = MeshTransports.attach(mesh, First.class, First::new);
    assertSame(first, MeshTransports.attach(mesh, First.class, First::new));
    MeshTransports.attach(mesh, Second.class, context -> new Second());
    mesh.close();
    mesh.close();
    assertEquals(List.of("second", "first"), closed);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MeshTransports.attach(mesh, First.class, First::new));
    assertEquals("mesh is closed; cannot create " + First.class.getName(), e.getMessage());
  }

  @Test
  void contextServesTheMeshsServicesClockAndUnknownHostPolicy() throws Exception {
    MeshClock clock = MeshClock.system();
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .unknownHosts(UnknownHostPolicy.REFUSE_MESH_LIKE)
            .service("mathoid", s -> s.endpoints("127.0.0.1:1"))
            .build()) {
      TransportContext context = MeshTransports.attach(mesh, First.class, First::new).context;
      assertEquals("mathoid", context.invoker("mathoid").service().value());
      assertNull(context.invoker("example.org"));
      assertEquals(Set.of(ServiceName.of("mathoid")), context.services());
      assertSame(clock, context.clock());
      assertSame(mesh.telemetry(), context.telemetry());
      context.admitUnknownHost("example.org");
      assertThrows(UnknownMeshHostException.class, () -> context.admitUnknownHost("mathoi"));
    }
  }
}

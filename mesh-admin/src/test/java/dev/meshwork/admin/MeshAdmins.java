package dev.meshwork.admin;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;

/** Starts a mesh's admin endpoint in a test and finds it again from the mesh. */
final class MeshAdmins {
  private MeshAdmins() {}

  /** {@code mesh}, with a {@link MeshAdmin} started on it (closed when the mesh closes). */
  static Mesh started(Mesh mesh, AdminOptions options) {
    try {
      MeshAdmin.start(mesh, options);
    } catch (RuntimeException e) {
      mesh.close();
      throw e;
    }
    return mesh;
  }

  /** The admin endpoint started on {@code mesh}. */
  static MeshAdmin of(Mesh mesh) {
    return MeshTransports.attach(
        mesh,
        MeshAdmin.class,
        context -> {
          throw new AssertionError("no admin endpoint was started on this mesh");
        });
  }
}

package dev.meshwork.core.exception;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;

/** The call was made after its {@link Mesh} was closed. */
public final class MeshClosedException extends MeshException {
  private static final long serialVersionUID = 1L;

  public MeshClosedException(ServiceName service) {
    super(service, null, "the mesh is closed", null);
  }
}

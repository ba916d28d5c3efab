package dev.meshwork.spring.internal;

import dev.meshwork.core.Mesh;
import java.util.Map;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * The Actuator endpoint {@code meshwork} ({@code /actuator/meshwork} once exposed): the mesh's
 * services, their endpoints and health, ejections, breaker states, settings and routes, and which
 * configuration is in force with the last refused change. Read-only.
 */
@Endpoint(id = "meshwork")
public final class MeshworkEndpoint {
  private final Mesh mesh;

  public MeshworkEndpoint(Mesh mesh) {
    this.mesh = Objects.requireNonNull(mesh, "mesh");
  }

  /** The mesh now. */
  @ReadOperation
  public Map<String, Object> mesh() {
    return MeshView.of(mesh);
  }
}

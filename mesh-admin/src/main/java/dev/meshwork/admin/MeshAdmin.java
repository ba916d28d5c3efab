package dev.meshwork.admin;

import dev.meshwork.admin.internal.AdminServer;
import dev.meshwork.admin.internal.AdminSettings;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.spi.MeshTransports;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Objects;

/**
 * A mesh's admin endpoint: read-only JSON views of its services, endpoints, configuration,
 * certificates and recent decisions, a readiness check, Prometheus metrics and a live dashboard,
 * all rendered from {@link Mesh#snapshot()}. See {@link AdminOptions} for what it serves to whom.
 *
 * <pre>{@code
 * Mesh mesh = Mesh.builder().decisions(256).service("mathoid", s -> s.endpoints("10.64.0.11:10044")).build();
 * MeshAdmin admin = MeshAdmin.start(mesh, AdminOptions.builder().port(9901).build());
 * mesh.awaitDiscovery(Duration.ofSeconds(30)); // /ready answers 503 until this is true
 * }</pre>
 *
 * <p>One per mesh. The mesh owns it: it stops when the mesh closes. Closing it earlier stops only
 * the endpoint. To serve {@code /ready} while discovery starts, build the mesh without {@code
 * MeshBuilder.awaitDiscovery}, start the admin, then wait with {@link Mesh#awaitDiscovery}. {@code
 * /decisions} lists what {@code MeshBuilder.decisions(n)} keeps (none by default).
 */
public final class MeshAdmin implements AutoCloseable {
  private final AdminServer server;

  private MeshAdmin(AdminServer server) {
    this.server = server;
  }

  /**
   * Starts serving {@code mesh} as {@code options} say.
   *
   * @throws MeshStartupException when the address cannot be bound
   * @throws IllegalStateException when the mesh is closed or already has an admin endpoint
   */
  public static MeshAdmin start(Mesh mesh, AdminOptions options) {
    Objects.requireNonNull(mesh, "mesh");
    Objects.requireNonNull(options, "options");
    AdminSettings settings =
        new AdminSettings(options.bindAddress(), options.port(), options.allowedHosts());
    MeshAdmin[] started = new MeshAdmin[1];
    // Attached like a transport: the mesh keeps one per mesh and closes it on close().
    MeshAdmin admin =
        MeshTransports.attach(
            mesh,
            MeshAdmin.class,
            context -> started[0] = new MeshAdmin(AdminServer.start(settings, mesh)));
    if (admin != started[0]) {
      throw new IllegalStateException(
          "this mesh already has an admin endpoint at " + admin.uri() + " (one per mesh)");
    }
    return admin;
  }

  /** The bound address, with the chosen port when the options asked for port 0. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** The dashboard's URL, such as {@code http://127.0.0.1:9901/}. */
  public URI uri() {
    return server.uri();
  }

  /** Stops the endpoint. Idempotent; the mesh calls it when it closes. */
  @Override
  public void close() {
    server.close();
  }
}

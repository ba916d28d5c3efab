package dev.meshwork.config;

import java.util.List;
import java.util.Objects;

/**
 * The document's {@code mesh.admin} section: where the admin endpoint (mesh-admin's {@code
 * MeshAdmin}) listens. mesh-config does not start it (it does not depend on mesh-admin); the
 * application or a starter passes these settings on:
 *
 * <pre>{@code
 * config.admin().ifPresent(a -> MeshAdmin.start(mesh, AdminOptions.builder()
 *     .port(a.port()).bindAddress(a.bindAddress()).allowNonLoopback(a.allowNonLoopback())
 *     .allowedHosts(a.allowedHosts().toArray(String[]::new)).build()));
 * }</pre>
 *
 * @param port the TCP port, 0 to 65535 (0: any free port); default 9901
 * @param bindAddress the address to bind; default {@code 127.0.0.1}
 * @param allowNonLoopback whether a bind address beyond loopback is allowed; default false
 * @param allowedHosts extra {@code Host} names the endpoint answers to; default none
 */
public record AdminSettings(
    int port, String bindAddress, boolean allowNonLoopback, List<String> allowedHosts) {
  /** The admin endpoint's default port, as mesh-admin's. */
  public static final int DEFAULT_PORT = 9901;

  public AdminSettings {
    Objects.requireNonNull(bindAddress, "bindAddress");
    allowedHosts = List.copyOf(allowedHosts);
  }
}

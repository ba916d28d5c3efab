package dev.meshwork.core.security;

import dev.meshwork.core.spi.PeerSecurity;

/**
 * How the mesh talks to a service's endpoints.
 *
 * <p>When a service does not choose, it gets {@link #MUTUAL} if the mesh has a {@link PeerSecurity}
 * and {@link #DISABLED} otherwise; a service that asks for {@link #MUTUAL} in a mesh without one is
 * refused at {@code build()}. There is never a silent fallback to plaintext.
 *
 * <p>There is deliberately no PERMISSIVE mode here: this says how the mesh <em>dials</em> a
 * service, and a client that fell back to plaintext would defeat mutual TLS. Accepting both mutual
 * TLS and plaintext while callers migrate is a property of a server's port (mesh-tls's {@code
 * PermissiveServerSocketFactory}).
 */
public enum TlsMode {
  /**
   * Plain HTTP. Only for services outside the mesh's PKI, and visible as such in the configuration.
   */
  DISABLED,
  /** TLS 1.3 with client certificates on both sides and the peer's identity checked exactly. */
  MUTUAL
}

/**
 * Mutual TLS between mesh peers: each service chooses a {@link dev.meshwork.core.security.TlsMode};
 * the mesh's identity and peer verification come from a {@link dev.meshwork.core.spi.PeerSecurity}
 * given to {@code Mesh.builder().security(...)}, such as {@code MeshTls} from mesh-tls.
 */
package dev.meshwork.core.security;

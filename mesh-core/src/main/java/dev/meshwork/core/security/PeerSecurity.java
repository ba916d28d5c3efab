package dev.meshwork.core.security;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import java.util.List;

/**
 * The mesh's workload identity and peer verification, as a transport needs them. Implemented by
 * {@code mesh-tls} ({@code MeshTls}); mesh-core only passes it from the builder to the transport,
 * so the core stays free of any crypto library.
 */
public interface PeerSecurity {

  /**
   * The TLS settings for dialing {@code service}. Called once per service when the mesh is built.
   *
   * @param peerIdentities the identities configured for the service, empty to derive the expected
   *     identity from the service name
   * @param clock the mesh's clock ({@code Mesh.builder().clock(...)}), by which peer certificates
   *     are judged valid, so a test's manual clock reaches TLS as it reaches the rest of the mesh
   * @throws dev.meshwork.core.exception.MeshConfigException naming the service when an identity is
   *     invalid
   */
  ClientTls clientTls(ServiceName service, List<String> peerIdentities, MeshClock clock);

  /** This workload's own identity, for logs and the admin view, for example a SPIFFE ID. */
  String localIdentity();
}

package dev.meshwork.core.security;

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
   * @param peerIdentities the identities configured for the service, empty to derive the
   *     expected identity from the service name
   * @throws dev.meshwork.core.MeshConfigException naming the service when an identity is invalid
   */
  ClientTls clientTls(ServiceName service, List<String> peerIdentities);

  /** This workload's own identity, for logs and the admin view, for example a SPIFFE ID. */
  String localIdentity();
}

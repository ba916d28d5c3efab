package dev.meshwork.core.security;

import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * How to dial one service with mutual TLS: a context whose key manager presents this workload's
 * current certificate and whose trust manager accepts only the expected peer identities, both live,
 * so rotation needs no new context.
 */
public interface ClientTls {

  /** The context to create client sockets from. */
  SSLContext sslContext();

  /** The trust manager inside {@link #sslContext()}, for transports that need it separately. */
  X509TrustManager trustManager();

  /** The peer identities this service's endpoints may present. */
  Set<String> expectedPeers();

  /**
   * Checks an established session once more: TLS 1.3 (unless configured otherwise) and a peer whose
   * identity is expected. Transports call it after the handshake, in place of host name
   * verification, since they dial endpoint addresses rather than names.
   *
   * @return the peer's identity
   */
  String verifyPeer(SSLSession session) throws SSLPeerUnverifiedException;

  /**
   * Registers {@code listener} to run after the trust anchors peers are verified against have
   * changed (an anchor added or removed), on the thread that made the change. A transport uses it
   * to stop reusing connections whose peers no longer verify, since a pooled connection was
   * authenticated only once, under the anchors of its handshake. The default never calls it: right
   * for implementations whose anchors never change.
   */
  default void onTrustChange(Runnable listener) {}

  /**
   * What this workload presents to the service's endpoints now (identity, chain, anchors and
   * expiry), for the admin view and metrics; read again after a rotation. Empty by default, for
   * implementations that cannot describe their certificate.
   */
  default Optional<CertificateInfo> certificate() {
    return Optional.empty();
  }
}

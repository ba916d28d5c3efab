package dev.meshwork.core.spi;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * The mesh's workload identity and peer verification, as a transport needs them. Implemented by
 * {@code mesh-tls} ({@code MeshTls}); mesh-core only passes it from the builder to the transport,
 * so the core stays free of any crypto library.
 *
 * <p>Nested here: the per-service {@link ClientTls} it makes, which transports dial with, and the
 * {@link CertificateInfo} and {@link CertificateSummary} that describe the certificates in use (the
 * admin view and the snapshot show them).
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

  /**
   * How to dial one service with mutual TLS: a context whose key manager presents this workload's
   * current certificate and whose trust manager accepts only the expected peer identities, both
   * live, so rotation needs no new context.
   */
  interface ClientTls {

    /** The context to create client sockets from. */
    SSLContext sslContext();

    /** The trust manager inside {@link #sslContext()}, for transports that need it separately. */
    X509TrustManager trustManager();

    /** The peer identities this service's endpoints may present. */
    Set<String> expectedPeers();

    /**
     * Checks an established session once more: TLS 1.3 (unless configured otherwise) and a peer
     * whose identity is expected. Transports call it after the handshake, in place of host name
     * verification, since they dial endpoint addresses rather than names.
     *
     * @return the peer's identity
     */
    String verifyPeer(SSLSession session) throws SSLPeerUnverifiedException;

    /**
     * Registers {@code listener} to run after the trust anchors peers are verified against have
     * changed (an anchor added or removed), or after this workload's own certificate came to be
     * issued by another CA (the middle step of an anchor rotation), on the thread that made the
     * change. A transport uses it to stop reusing connections whose peers no longer verify, since a
     * pooled connection was authenticated only once, under the anchors of its handshake, and
     * connections on which this workload presented a certificate of the previous CA, which peers
     * refuse once they drop that CA ({@link #certificate()} says which CA issues it now). The
     * default never calls it: right for implementations whose anchors never change.
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

  /**
   * What this workload presents to a service's endpoints right now, for the admin view and the
   * certificate-expiry gauge: its identity, its chain and the anchors it verifies peers against.
   * Descriptions only: no key material.
   *
   * @param identity this workload's identity, for example its SPIFFE ID
   * @param chain the presented chain, leaf first; never empty
   * @param trustAnchors the anchors peers are verified against
   */
  record CertificateInfo(
      String identity, List<CertificateSummary> chain, List<CertificateSummary> trustAnchors) {

    /** Copies the lists. */
    public CertificateInfo {
      Objects.requireNonNull(identity, "identity");
      chain = List.copyOf(chain);
      trustAnchors = List.copyOf(trustAnchors);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("certificate chain: empty; expected the leaf first");
      }
    }

    /** The leaf, the certificate this workload presents. */
    public CertificateSummary leaf() {
      return chain.get(0);
    }

    /** When the leaf stops being valid. */
    public Instant notAfter() {
      return leaf().notAfter();
    }

    /** Whole seconds from {@code now} until the leaf expires; negative once it has. */
    public long secondsToExpiry(Instant now) {
      return Duration.between(now, notAfter()).toSeconds();
    }
  }

  /**
   * The public facts of one X.509 certificate, as the admin view shows them.
   *
   * @param subject the subject's distinguished name (RFC 2253)
   * @param issuer the issuer's distinguished name (RFC 2253)
   * @param serialNumber the serial number in lower-case hexadecimal
   * @param notBefore when it starts being valid
   * @param notAfter when it stops being valid
   */
  record CertificateSummary(
      String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter) {

    public CertificateSummary {
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(issuer, "issuer");
      Objects.requireNonNull(serialNumber, "serialNumber");
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(notAfter, "notAfter");
    }

    /** The summary of {@code certificate}. */
    public static CertificateSummary of(X509Certificate certificate) {
      return new CertificateSummary(
          certificate.getSubjectX500Principal().getName(),
          certificate.getIssuerX500Principal().getName(),
          certificate.getSerialNumber().toString(16),
          certificate.getNotBefore().toInstant(),
          certificate.getNotAfter().toInstant());
    }
  }
}

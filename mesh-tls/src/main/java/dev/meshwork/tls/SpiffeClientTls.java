package dev.meshwork.tls;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.spi.PeerSecurity.CertificateInfo;
import dev.meshwork.core.spi.PeerSecurity.CertificateSummary;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.tls.internal.Listeners;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509TrustManager;

/**
 * The client side of mutual TLS for one service: a context built once whose key manager presents
 * the source's current certificate and whose trust manager checks the expected SPIFFE IDs against
 * the source's current trust bundle, so rotation of either needs no new context.
 */
final class SpiffeClientTls implements ClientTls {
  private final Set<SpiffeId> expected;
  private final Set<String> expectedText;
  private final boolean allowTls12;
  private final SSLContext context;
  private final SpiffeTrustManager trustManager;
  private final Listeners<TrustBundle> trustListeners;
  private final AtomicReference<TrustBundle> bundle;
  private final AtomicReference<String> issuer;
  private final CertificateSource source;

  /** The description of the identity it was made from; rebuilt only after a rotation. */
  private volatile Described described;

  private record Described(IssuedIdentity identity, CertificateInfo info) {}

  public SpiffeClientTls(
      CertificateSource source, Set<SpiffeId> expected, boolean allowTls12, MeshClock clock) {
    this.source = source;
    this.expected = Set.copyOf(expected);
    Set<String> text = new TreeSet<>();
    expected.forEach(id -> text.add(id.toString()));
    this.expectedText = Set.copyOf(text);
    this.allowTls12 = allowTls12;
    LiveVerifier verifier = LiveVerifier.accepting(source, this.expected, clock);
    this.trustManager = SpiffeTrustManager.live(verifier);
    this.context = MeshSslContexts.client(source, verifier, allowTls12);
    this.trustListeners = new Listeners<>("trust bundle of the client TLS for " + expectedText);
    this.bundle = new AtomicReference<>(source.current().trustBundle());
    this.issuer = new AtomicReference<>(issuerOf(source.current()));
    source.addListener(
        identity -> {
          TrustBundle next = identity.trustBundle();
          boolean anchorsChanged = !next.equals(bundle.getAndSet(next));
          // A leaf from another CA is the middle step of an anchor rotation: connections that
          // presented the old CA's leaf are refused once peers drop that CA, so they must go too.
          boolean issuerChanged = !issuerOf(identity).equals(issuer.getAndSet(issuerOf(identity)));
          if (anchorsChanged || issuerChanged) {
            trustListeners.publish(next);
          }
        });
  }

  @Override
  public void onTrustChange(Runnable listener) {
    Objects.requireNonNull(listener, "listener");
    trustListeners.add(bundle -> listener.run());
  }

  @Override
  public SSLContext sslContext() {
    return context;
  }

  @Override
  public X509TrustManager trustManager() {
    return trustManager;
  }

  @Override
  public Set<String> expectedPeers() {
    return expectedText;
  }

  @Override
  public String verifyPeer(SSLSession session) throws SSLPeerUnverifiedException {
    String protocol = session.getProtocol();
    if (!"TLSv1.3".equals(protocol) && !(allowTls12 && "TLSv1.2".equals(protocol))) {
      throw new SSLPeerUnverifiedException("peer negotiated " + protocol + "; expected TLSv1.3");
    }
    Certificate[] chain = session.getPeerCertificates();
    try {
      SpiffeId peer = SpiffeVerifier.identityOf((X509Certificate) chain[0]);
      if (!expected.contains(peer)) {
        throw new SSLPeerUnverifiedException(
            "peer presented " + peer + "; expected one of " + expectedText);
      }
      return peer.toString();
    } catch (SvidRejectedException e) {
      throw new SSLPeerUnverifiedException(e.getMessage());
    }
  }

  @Override
  @SuppressWarnings("ReferenceEquality") // described once per identity the source hands out
  public Optional<CertificateInfo> certificate() {
    IssuedIdentity current = source.current();
    Described last = described;
    if (last == null || last.identity() != current) {
      last =
          new Described(
              current,
              new CertificateInfo(
                  current.spiffeId().toString(),
                  summaries(current.chain()),
                  summaries(current.trustAnchors())));
      described = last;
    }
    return Optional.of(last.info());
  }

  /** The CA this identity's chain was issued by: the issuer of its last certificate. */
  private static String issuerOf(IssuedIdentity identity) {
    List<X509Certificate> chain = identity.chain();
    return chain.get(chain.size() - 1).getIssuerX500Principal().getName();
  }

  private static List<CertificateSummary> summaries(List<X509Certificate> certificates) {
    return certificates.stream().map(CertificateSummary::of).toList();
  }
}

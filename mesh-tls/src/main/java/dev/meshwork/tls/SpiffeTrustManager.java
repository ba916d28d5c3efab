package dev.meshwork.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A JSSE trust manager that authenticates peers by SPIFFE ID through a {@link SpiffeVerifier}, for
 * an {@code SSLContext} on either side of a connection. It deliberately performs no host name
 * check: the mesh dials endpoint addresses, and the SPIFFE ID is the identity that counts.
 *
 * <p>Being an {@link X509ExtendedTrustManager}, the JDK uses it as is and adds no endpoint
 * identification of its own. With {@link #live(Supplier)} the verifier is read on every handshake,
 * so a new trust bundle applies to new connections without rebuilding any client.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {
  private final Supplier<SpiffeVerifier> verifier;

  private SpiffeTrustManager(Supplier<SpiffeVerifier> verifier) {
    this.verifier = verifier;
  }

  /** A trust manager that always verifies with {@code verifier}. */
  public static SpiffeTrustManager of(SpiffeVerifier verifier) {
    Objects.requireNonNull(verifier, "verifier");
    return new SpiffeTrustManager(() -> verifier);
  }

  /** A trust manager that asks {@code current} for the verifier at each handshake. */
  public static SpiffeTrustManager live(Supplier<SpiffeVerifier> current) {
    return new SpiffeTrustManager(Objects.requireNonNull(current, "current"));
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, PeerRole.CLIENT);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, PeerRole.CLIENT);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, PeerRole.CLIENT);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    verify(chain, PeerRole.SERVER);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    verify(chain, PeerRole.SERVER);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    verify(chain, PeerRole.SERVER);
  }

  /** The current anchors, which a server names when it asks for a client certificate. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return current().trustBundle().anchors().toArray(new X509Certificate[0]);
  }

  @Override
  public String toString() {
    return "SpiffeTrustManager{" + current() + "}";
  }

  private void verify(X509Certificate[] chain, PeerRole role) throws SvidRejectedException {
    List<X509Certificate> certificates = chain == null ? List.of() : Arrays.asList(chain);
    current().verify(certificates, role);
  }

  private SpiffeVerifier current() {
    SpiffeVerifier current = verifier.get();
    if (current == null) {
      throw new IllegalStateException("the live verifier supplier returned null");
    }
    return current;
  }
}

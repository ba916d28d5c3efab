package dev.meshwork.benchmarks;

import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeTrustManager;
import dev.meshwork.tls.SpiffeVerifier;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;

/**
 * Plain OkHttp clients, the baselines the mesh is compared with. They get the same connection pool
 * sizing as a mesh (256 idle connections, 30 s keep-alive) so that a difference in results is the
 * mesh's work, not OkHttp's default pool of 5 idle connections closing and reopening sockets.
 */
public final class RawClients {
  private RawClients() {}

  /** OkHttp with the mesh's pool sizing and nothing else. */
  public static OkHttpClient plain() {
    return new OkHttpClient.Builder()
        .connectionPool(new ConnectionPool(256, 30, TimeUnit.SECONDS))
        .build();
  }

  /**
   * OkHttp presenting {@code identity}'s key and chain over TLS 1.3 and accepting only a server
   * whose SVID is {@code server}, verified the way the mesh verifies it ({@link
   * SpiffeTrustManager}).
   */
  public static OkHttpClient mutualTls(IssuedIdentity identity, SpiffeId server)
      throws GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try {
      keys.load(null, null);
    } catch (java.io.IOException impossible) {
      throw new GeneralSecurityException("cannot create an empty key store", impossible);
    }
    keys.setKeyEntry(
        "svid",
        identity.privateKey(),
        new char[0],
        identity.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory keyManagers =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    SpiffeTrustManager trust =
        SpiffeTrustManager.of(
            SpiffeVerifier.builder().trustBundle(identity.trustBundle()).accept(server).build());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keyManagers.getKeyManagers(), new TrustManager[] {trust}, null);
    return plain()
        .newBuilder()
        .sslSocketFactory(context.getSocketFactory(), trust)
        .hostnameVerifier((host, session) -> true) // the trust manager checked the SPIFFE ID
        .build();
  }
}

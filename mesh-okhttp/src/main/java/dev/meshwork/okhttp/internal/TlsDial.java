package dev.meshwork.okhttp.internal;

import dev.meshwork.core.security.ClientTls;
import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * OkHttp's view of one service's mutual TLS: socket factory, trust manager and a verifier that
 * checks the peer's SPIFFE identity instead of the host name (the mesh dials addresses). Built
 * once per service and reused, because OkHttp pools a connection only for calls whose socket
 * factory and verifier are the same instances.
 */
final class TlsDial {
  private final ClientTls tls;
  private final SSLSocketFactory socketFactory;
  private final HostnameVerifier verifier;

  TlsDial(ClientTls tls) {
    this.tls = tls;
    this.socketFactory = tls.sslContext().getSocketFactory();
    this.verifier = (host, session) -> {
      try {
        tls.verifyPeer(session);
        return true;
      } catch (SSLPeerUnverifiedException e) {
        return false;
      }
    };
  }

  /** Configures a client that dials endpoints directly (health probes) the way calls do. */
  OkHttpClient.Builder applyTo(OkHttpClient.Builder client) {
    return client.sslSocketFactory(socketFactory, tls.trustManager()).hostnameVerifier(verifier);
  }

  Interceptor.Chain apply(Interceptor.Chain chain) {
    return chain.withSslSocketFactory(socketFactory, tls.trustManager()).withHostnameVerifier(verifier);
  }
}

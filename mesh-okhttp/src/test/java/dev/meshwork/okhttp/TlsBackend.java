package dev.meshwork.okhttp;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeTrustManager;
import dev.meshwork.tls.SpiffeVerifier;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * A real HTTPS server (the JDK's) that requires a client certificate, presents {@code identity}
 * and accepts only {@code client}. It answers with its name and the SPIFFE ID the client presented.
 */
final class TlsBackend implements AutoCloseable {
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);

  TlsBackend(String name, IssuedIdentity identity, SpiffeId client) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("svid", identity.privateKey(), new char[0], identity.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keys, new char[0]);
    SpiffeVerifier verifier = SpiffeVerifier.builder().trustBundle(identity.trustBundle()).accept(client).build();
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(keyManagers.getKeyManagers(), new TrustManager[] {SpiffeTrustManager.of(verifier)}, null);

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setNeedClientAuth(true);
        parameters.setProtocols(new String[] {"TLSv1.3"});
        params.setSSLParameters(parameters);
      }
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        X509Certificate peer = (X509Certificate) ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
        byte[] body = (name + " saw " + SpiffeVerifier.identityOf(peer)).getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (IOException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    });
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

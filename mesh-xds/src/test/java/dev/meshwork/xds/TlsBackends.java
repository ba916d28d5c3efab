package dev.meshwork.xds;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.SvidRejectedException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Real HTTPS backends serving mesh certificates issued by the test's CA, built the way a mesh
 * workload builds its server ({@link MeshSslContexts#server}), each answering with its name and the
 * SPIFFE ID the client presented; and the PEM files a certificate agent (the Istio agent, SPIRE)
 * writes for the client workload.
 */
final class TlsBackends implements AutoCloseable {
  static {
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<HttpsServer> servers = new ArrayList<>();
  private final List<AutoCloseable> sources = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  /** One backend per name, each presenting {@code identity}. */
  TlsBackends(BuiltInCa ca, SpiffeId identity, String... names) throws IOException {
    for (String name : names) {
      BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(identity).build();
      sources.add(source);
      HttpsServer server =
          HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      server.setHttpsConfigurator(
          MeshSslContexts.httpsConfigurator(
              MeshSslContexts.server(
                  source, LiveVerifier.acceptingAnyMember(source, MeshClock.system()))));
      server.setExecutor(executor);
      server.createContext(
          "/",
          exchange -> {
            try (exchange) {
              X509Certificate peer =
                  (X509Certificate)
                      ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
              exchange.getRequestBody().readAllBytes();
              byte[] body =
                  (name + " saw " + SpiffeVerifier.identityOf(peer))
                      .getBytes(StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
              }
            } catch (SvidRejectedException e) {
              throw new IOException(e);
            }
          });
      server.start();
      servers.add(server);
    }
  }

  String address(int index) {
    return "127.0.0.1:" + servers.get(index).getAddress().getPort();
  }

  /**
   * Writes {@code identity} as an agent does: {@code cert-chain.pem}, {@code key.pem} and {@code
   * root-cert.pem} in {@code directory}; returns the provider that reads them.
   */
  static XdsBootstrap.FileWatcher writeFiles(Path directory, IssuedIdentity identity)
      throws IOException {
    Path chain = directory.resolve("cert-chain.pem");
    Path key = directory.resolve("key.pem");
    Path roots = directory.resolve("root-cert.pem");
    Files.writeString(chain, certificates(identity.chain()));
    Files.writeString(key, pem("PRIVATE KEY", identity.privateKey().getEncoded()));
    Files.writeString(roots, certificates(identity.trustAnchors()));
    return new XdsBootstrap.FileWatcher(
        chain, key, roots, XdsBootstrap.FileWatcher.DEFAULT_REFRESH);
  }

  private static String certificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        out.append(pem("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
    return out.toString();
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Override
  public void close() throws Exception {
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
    for (AutoCloseable source : sources) {
      source.close();
    }
  }
}

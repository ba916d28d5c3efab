package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.meshwork.core.Mesh;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeTrustManager;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.TrustDomain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nginx as a mesh peer: started by the test as an ordinary process on a loopback port, with a
 * certificate and trust bundle from the built-in CA, TLS 1.3 only and client certificates required.
 * It answers with the client certificate it verified, so the test sees who nginx thinks called.
 * nginx must be installed (CI installs it); without it this test fails.
 */
class NginxInteropTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final Duration START_DEADLINE = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static BuiltInCa ca;
  static Process nginx;
  static int port;

  @BeforeAll
  static void startNginx() throws Exception {
    String binary = findNginx();
    ca = BuiltInCa.builder().build();
    PemFiles files = new PemFiles(dir.resolve("pki"), ca.issue(MATHOID));
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      Files.createDirectories(dir.resolve(temp));
    }
    Path config = dir.resolve("nginx.conf");
    Files.writeString(
        config,
        """
        daemon off;
        master_process off;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log info;
        events { worker_connections 64; }
        http {
          access_log %1$s/access.log;
          client_body_temp_path %1$s/client_body;
          proxy_temp_path %1$s/proxy;
          fastcgi_temp_path %1$s/fastcgi;
          uwsgi_temp_path %1$s/uwsgi;
          scgi_temp_path %1$s/scgi;
          default_type text/plain;
          server {
            listen 127.0.0.1:%2$d ssl http2;
            ssl_protocols TLSv1.3;
            ssl_certificate %3$s;
            ssl_certificate_key %4$s;
            ssl_verify_client on;
            ssl_client_certificate %5$s;
            location / {
              add_header X-Client-Verify $ssl_client_verify always;
              add_header X-Tls-Protocol $ssl_protocol always;
              return 200 "$ssl_client_escaped_cert";
            }
          }
        }
        """
            .formatted(dir, port, files.chain, files.key, files.bundle));
    nginx =
        new ProcessBuilder(
                binary,
                "-p",
                dir.toString(),
                "-c",
                config.toString(),
                "-e",
                dir.resolve("error.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    awaitPort();
  }

  @AfterAll
  static void stopNginx() throws Exception {
    if (nginx != null) {
      nginx.destroy();
      if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
        nginx.destroyForcibly();
      }
    }
  }

  @Test
  void theMeshCallsNginxOverMutualTls13AndNginxVerifiesItsIdentity() throws Exception {
    try (BuiltInCaSource restbase = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build();
        Mesh mesh =
            Mesh.builder()
                .security(MeshTls.builder().source(restbase).build())
                .service("mathoid", s -> s.endpoints("127.0.0.1:" + port))
                .build()) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      try (Response response =
          client.newCall(new Request.Builder().url("http://mathoid/render").build()).execute()) {
        assertEquals(200, response.code());
        assertEquals("SUCCESS", response.header("X-Client-Verify"));
        assertEquals("TLSv1.3", response.header("X-Tls-Protocol"));
        assertEquals(
            Protocol.HTTP_2, response.protocol(), "nginx offers h2 by ALPN, and the mesh takes it");
        X509Certificate seen =
            certificate(URLDecoder.decode(response.body().string(), StandardCharsets.UTF_8));
        assertEquals(RESTBASE, SpiffeVerifier.identityOf(seen));
        assertEquals(restbase.current().leaf(), seen);
        X509Certificate served = (X509Certificate) response.handshake().peerCertificates().get(0);
        assertEquals(MATHOID, SpiffeVerifier.identityOf(served), "the mesh checked nginx's SVID");
      }
    }
  }

  @Test
  void nginxRefusesAClientWithoutACertificate() throws Exception {
    try (Response response = clientWithoutCertificate().newCall(request()).execute()) {
      assertEquals(400, response.code());
      assertTrue(response.body().string().contains("No required SSL certificate was sent"));
    }
  }

  @Test
  void nginxRefusesAClientCertificateFromAnotherCa() throws Exception {
    BuiltInCa stranger = BuiltInCa.builder().build();
    try (BuiltInCaSource source =
        BuiltInCaSource.builder().ca(stranger).spiffeId(RESTBASE).build()) {
      SSLContext context = MeshSslContexts.client(source, () -> verifierOfNginx());
      OkHttpClient client =
          new OkHttpClient.Builder()
              .sslSocketFactory(
                  context.getSocketFactory(), SpiffeTrustManager.of(verifierOfNginx()))
              .hostnameVerifier((host, session) -> true)
              .build();
      try (Response response = client.newCall(request()).execute()) {
        assertEquals(400, response.code());
        assertTrue(response.body().string().contains("The SSL certificate error"));
      }
    }
  }

  private static Request request() {
    return new Request.Builder().url("https://127.0.0.1:" + port + "/").build();
  }

  /** A client that verifies nginx's SVID but has no certificate of its own. */
  private static OkHttpClient clientWithoutCertificate() throws Exception {
    SpiffeTrustManager trust = SpiffeTrustManager.of(verifierOfNginx());
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(new KeyManager[0], new TrustManager[] {trust}, null);
    return new OkHttpClient.Builder()
        .sslSocketFactory(context.getSocketFactory(), trust)
        .hostnameVerifier((host, session) -> true) // the trust manager checked the SPIFFE ID
        .build();
  }

  private static SpiffeVerifier verifierOfNginx() {
    return SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).build();
  }

  private static X509Certificate certificate(String pem) throws Exception {
    assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"), pem);
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  private static String findNginx() {
    for (String candidate :
        List.of(
            "/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return fail(
        "nginx is not installed (looked in /usr/sbin, /usr/bin, /usr/local); install the Debian"
            + " package nginx-light, as .ci/run does");
  }

  /**
   * Waits until nginx accepts connections, failing with its error log if it exits or the deadline
   * passes.
   */
  private static void awaitPort() throws Exception {
    long deadline = System.nanoTime() + START_DEADLINE.toNanos();
    while (System.nanoTime() < deadline) {
      if (!nginx.isAlive()) {
        fail("nginx exited with " + nginx.exitValue() + ": " + log());
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return;
      } catch (IOException notListeningYet) {
        // Poll again shortly; waitFor returns at once if nginx exits meanwhile.
        nginx.waitFor(50, TimeUnit.MILLISECONDS);
      }
    }
    fail("nginx did not listen on port " + port + " within " + START_DEADLINE + ": " + log());
  }

  private static String log() throws IOException {
    Path log = dir.resolve("error.log");
    return (Files.exists(log) ? Files.readString(log) : "(no error.log)")
        + Files.readString(dir.resolve("stdout.log"));
  }
}

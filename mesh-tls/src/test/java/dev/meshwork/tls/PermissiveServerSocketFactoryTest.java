package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One port, two kinds of callers: a plain HTTP client and a mutual-TLS client (the JDK's
 * HttpClient, both) are served by a small blocking HTTP server on a permissive server socket, while
 * a client with a certificate from another CA is still refused.
 */
class PermissiveServerSocketFactoryTest {
  static final SpiffeId MATHOID = SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");

  private final BuiltInCa ca = BuiltInCa.builder().build();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final AtomicInteger refusedHandshakes = new AtomicInteger();
  private ServerSocket server;

  @BeforeEach
  void start() throws Exception {
    BuiltInCaSource mathoid = source(ca, MATHOID);
    SSLContext context =
        MeshSslContexts.server(
            mathoid, LiveVerifier.acceptingAnyMember(mathoid, MeshClock.system()));
    server =
        PermissiveServerSocketFactory.of(context, Duration.ofMillis(500))
            .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    handlers.execute(this::serve);
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    handlers.shutdownNow();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void servesPlaintextAndMutualTlsOnTheSamePort() throws Exception {
    HttpResponse<String> plain =
        HttpClient.newHttpClient().send(get("http"), HttpResponse.BodyHandlers.ofString());
    assertEquals("plaintext, anonymous", plain.body());

    HttpResponse<String> mutual =
        meshClient(source(ca, RESTBASE)).send(get("https"), HttpResponse.BodyHandlers.ofString());
    assertEquals("mutual TLS from " + RESTBASE, mutual.body());
    assertEquals("TLSv1.3", mutual.sslSession().orElseThrow().getProtocol());
  }

  @Test
  void aClientWithAnUntrustedCertificateIsStillRefused() throws Exception {
    BuiltInCa stranger = BuiltInCa.builder().build();
    HttpClient client = meshClient(source(stranger, RESTBASE), ca.trustBundle());
    assertThrows(
        IOException.class, () -> client.send(get("https"), HttpResponse.BodyHandlers.ofString()));
    assertEquals(
        "plaintext, anonymous",
        HttpClient.newHttpClient().send(get("http"), HttpResponse.BodyHandlers.ofString()).body(),
        "the listener keeps serving");
    assertTrue(refusedHandshakes.get() >= 1);
  }

  @Test
  void aSilentClientNeitherBlocksOthersNorStaysOpen() throws Exception {
    try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      assertEquals(
          "plaintext, anonymous",
          HttpClient.newHttpClient()
              .send(get("http"), HttpResponse.BodyHandlers.ofString())
              .body());
      silent.setSoTimeout(10_000);
      assertEquals(-1, silent.getInputStream().read(), "closed after the 500 ms sniff timeout");
    }
  }

  @Test
  void theSniffTimeoutMustBePositive() {
    SSLContext context = MeshSslContexts.server(source(ca, MATHOID), () -> null);
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> PermissiveServerSocketFactory.of(context, Duration.ZERO));
    assertEquals(
        "permissive server sniff timeout: 'PT0S' is invalid; expected a positive duration of at least"
            + " 1 ms, such as PT10S",
        e.getMessage());
  }

  /** A tiny blocking HTTP/1.1 server: one request per connection, says who called. */
  private void serve() {
    while (!server.isClosed()) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        return;
      }
      handlers.execute(() -> answer(socket));
    }
  }

  private void answer(Socket socket) {
    try (socket) {
      String body = "plaintext, anonymous";
      if (socket instanceof SSLSocket ssl) {
        try {
          ssl.startHandshake();
        } catch (IOException refused) {
          refusedHandshakes.incrementAndGet();
          return;
        }
        X509Certificate peer = (X509Certificate) ssl.getSession().getPeerCertificates()[0];
        body = "mutual TLS from " + SpiffeVerifier.identityOf(peer);
      }
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        // the request head; this server answers every request alike
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("HTTP/1.1 200 OK\r\nContent-Length: " + bytes.length + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(bytes);
      out.flush();
    } catch (Exception e) {
      // the client went away; nothing to answer
    }
  }

  private HttpRequest get(String scheme) {
    return HttpRequest.newBuilder(
            URI.create(scheme + "://127.0.0.1:" + server.getLocalPort() + "/"))
        .build();
  }

  private HttpClient meshClient(BuiltInCaSource source) {
    return meshClient(source, source.current().trustBundle());
  }

  /** The JDK client with a mesh context; the SPIFFE trust manager replaces host name checks. */
  private HttpClient meshClient(BuiltInCaSource source, TrustBundle trust) {
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(trust).accept(Set.of(MATHOID)).build();
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(MeshSslContexts.client(source, () -> verifier))
        .build();
  }

  private BuiltInCaSource source(BuiltInCa authority, SpiffeId id) {
    BuiltInCaSource source = BuiltInCaSource.builder().ca(authority).spiffeId(id).build();
    resources.add(source);
    return source;
  }
}

package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.tls.LoopbackTlsServer.Handshake;
import dev.meshwork.tls.SvidRejectedException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real handshakes over 127.0.0.1 between contexts from {@link MeshSslContexts}: TLS 1.3 with client
 * certificates required, rotation applied to the next handshake without rebuilding any context, and
 * TLS 1.2 only when explicitly allowed.
 */
class MeshSslContextsTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  ManualClock clock;
  ManualScheduler scheduler;
  BuiltInCa ca;
  BuiltInCaSource serverSource;
  BuiltInCaSource clientSource;
  LoopbackTlsServer server;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    scheduler = new ManualScheduler(clock);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    serverSource = source(MATHOID, 1);
    clientSource = source(RESTBASE, 2);
  }

  @AfterEach
  void tearDown() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  BuiltInCaSource source(SpiffeId id, long seed) {
    return BuiltInCaSource.builder()
        .ca(ca)
        .spiffeId(id)
        .scheduler(scheduler)
        .clock(clock)
        .random(new SplittableRandom(seed))
        .build();
  }

  SpiffeVerifier accepting(SpiffeId id) {
    return SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(id).clock(clock).build();
  }

  SSLContext defaultServer() {
    SpiffeVerifier verifier = accepting(RESTBASE);
    return MeshSslContexts.server(serverSource, () -> verifier);
  }

  SSLContext defaultClient() {
    SpiffeVerifier verifier = accepting(MATHOID);
    return MeshSslContexts.client(clientSource, () -> verifier);
  }

  SSLSocket connect(SSLContext client) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  static String echo(SSLSocket socket, String line) throws IOException {
    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return new BufferedReader(
            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
  }

  @Test
  void mutualTls13HandshakeAuthenticatesBothSides() throws Exception {
    server = new LoopbackTlsServer(defaultServer());
    assertTrue(server.serverSocket.getNeedClientAuth());
    assertArrayEquals(new String[] {"TLSv1.3"}, server.serverSocket.getEnabledProtocols());
    try (SSLSocket socket = connect(defaultClient())) {
      assertEquals("echo hello", echo(socket, "hello"));
      assertEquals("TLSv1.3", socket.getSession().getProtocol());
      assertEquals(
          MATHOID,
          SpiffeVerifier.identityOf(
              (X509Certificate) socket.getSession().getPeerCertificates()[0]));
      Handshake accepted = server.nextHandshake();
      assertEquals("TLSv1.3", accepted.session().getProtocol());
      assertEquals(clientSource.current().leaf(), accepted.peerLeaf());
      assertEquals(RESTBASE, SpiffeVerifier.identityOf(accepted.peerLeaf()));
    }
  }

  @Test
  void aRotatedIdentityIsPresentedByTheNextHandshakeWithTheSameContexts() throws Exception {
    server = new LoopbackTlsServer(defaultServer());
    SSLContext client = defaultClient();
    BigInteger firstClientSerial = clientSource.current().leaf().getSerialNumber();
    BigInteger firstServerSerial = serverSource.current().leaf().getSerialNumber();
    try (SSLSocket before = connect(client)) {
      assertEquals(firstClientSerial, server.nextHandshake().peerLeaf().getSerialNumber());
      assertEquals(firstServerSerial, peerSerial(before));

      scheduler.advance(Duration.ofHours(15)); // both sources renew at 12 h .. 14.4 h
      BigInteger secondClientSerial = clientSource.current().leaf().getSerialNumber();
      BigInteger secondServerSerial = serverSource.current().leaf().getSerialNumber();
      assertNotEquals(firstClientSerial, secondClientSerial);
      assertNotEquals(firstServerSerial, secondServerSerial);

      // The connection made before the rotation keeps working.
      assertEquals("echo still here", echo(before, "still here"));
      // A new connection from the very same SSLContext presents the new certificate (a full
      // handshake: the rotation dropped the cached session) and sees the server's new one.
      try (SSLSocket after = connect(client)) {
        assertEquals(secondClientSerial, server.nextHandshake().peerLeaf().getSerialNumber());
        assertEquals(secondServerSerial, peerSerial(after));
        assertEquals("echo new", echo(after, "new"));
      }
    }
  }

  private static BigInteger peerSerial(SSLSocket socket) throws IOException {
    return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
  }

  @Test
  void theServerRequiresAClientCertificate() throws Exception {
    server = new LoopbackTlsServer(defaultServer());
    SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
    anonymous.init(null, new TrustManager[] {SpiffeTrustManager.of(accepting(MATHOID))}, null);
    SSLSocket socket =
        (SSLSocket)
            anonymous
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port());
    try (socket) {
      socket.setSoTimeout(10_000);
      // In TLS 1.3 the client finishes first; the refusal arrives on its first read.
      assertThrows(
          IOException.class,
          () -> {
            socket.startHandshake();
            echo(socket, "let me in");
          });
    }
    Handshake refused = server.nextHandshake();
    assertNotNull(refused.failure());
    assertTrue(refused.failure() instanceof SSLHandshakeException, refused.failure().toString());
  }

  @Test
  void theServerRefusesAClientWithAnotherIdentity() throws Exception {
    server = new LoopbackTlsServer(defaultServer());
    BuiltInCaSource impostor = source(SpiffeId.forService(DOMAIN, "default", "impostor"), 3);
    SpiffeVerifier verifier = accepting(MATHOID);
    SSLContext client = MeshSslContexts.client(impostor, () -> verifier);
    assertThrows(
        IOException.class,
        () -> {
          try (SSLSocket socket = connect(client)) {
            echo(socket, "hello");
          }
        });
    Throwable failure = server.nextHandshake().failure();
    assertEquals(Reason.ID_NOT_ACCEPTED, rejectionIn(failure).reason());
  }

  @Test
  void tls12IsRefusedByDefaultAndAcceptedWhenAllowed() throws Exception {
    SpiffeVerifier serverVerifier = accepting(RESTBASE);
    SpiffeVerifier clientVerifier = accepting(MATHOID);
    SSLContext tls12Client = MeshSslContexts.client(clientSource, () -> clientVerifier, true);

    server = new LoopbackTlsServer(defaultServer());
    SSLSocket refused = onlyTls12(tls12Client);
    try (refused) {
      assertThrows(SSLException.class, refused::startHandshake);
    }
    assertNotNull(server.nextHandshake().failure());
    server.close();

    server =
        new LoopbackTlsServer(MeshSslContexts.server(serverSource, () -> serverVerifier, true));
    try (SSLSocket accepted = onlyTls12(tls12Client)) {
      accepted.startHandshake();
      assertEquals("TLSv1.2", accepted.getSession().getProtocol());
      assertTrue(
          accepted.getSession().getCipherSuite().startsWith("TLS_ECDHE_ECDSA_WITH_"),
          accepted.getSession().getCipherSuite());
      assertEquals(RESTBASE, SpiffeVerifier.identityOf(server.nextHandshake().peerLeaf()));
    }
  }

  private SSLSocket onlyTls12(SSLContext client) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(10_000);
    socket.setEnabledProtocols(new String[] {"TLSv1.2"});
    return socket;
  }

  @Test
  void everythingAContextCreatesIsTls13OnlyAndServersNeedClientCertificates() throws Exception {
    SSLContext client = defaultClient();
    SSLContext serverContext = defaultServer();
    assertArrayEquals(new String[] {"TLSv1.3"}, client.getDefaultSSLParameters().getProtocols());
    assertFalse(client.getDefaultSSLParameters().getNeedClientAuth());
    assertTrue(serverContext.getDefaultSSLParameters().getNeedClientAuth());
    SSLEngine engine = serverContext.createSSLEngine("10.0.0.7", 8443);
    engine.setUseClientMode(false);
    assertArrayEquals(new String[] {"TLSv1.3"}, engine.getEnabledProtocols());
    assertTrue(engine.getNeedClientAuth());
    for (String suite : engine.getEnabledCipherSuites()) {
      assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_"), suite);
    }
    try (SSLServerSocket serverSocket =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertTrue(serverSocket.getNeedClientAuth());
    }
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
      assertArrayEquals(new String[] {"TLSv1.3"}, socket.getEnabledProtocols());
    }
    SSLParameters lenient = MeshSslContexts.serverParameters(true);
    assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, lenient.getProtocols());
    assertTrue(lenient.getNeedClientAuth());
    assertArrayEquals(
        new String[] {"TLSv1.3"}, MeshSslContexts.clientParameters(false).getProtocols());
    assertThrows(
        java.security.KeyManagementException.class,
        () -> client.init(null, null, null),
        "a mesh context cannot be re-initialized");
  }

  /**
   * HTTP servers write a reply's head and body separately; without TCP_NODELAY the body waits for
   * the client's delayed ACK (some 40 ms on Linux).
   */
  @Test
  void acceptedSocketsHaveTcpNoDelaySet() throws Exception {
    SSLContext serverContext = defaultServer();
    List<ServerSocket> listeners =
        List.of(
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress()),
            PermissiveServerSocketFactory.of(serverContext)
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress()));
    for (ServerSocket listener : listeners) {
      try (listener;
          Socket client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        client.getOutputStream().write('G'); // the permissive socket hands over after a first byte
        listener.setSoTimeout(10_000);
        try (Socket accepted = listener.accept()) {
          assertTrue(accepted.getTcpNoDelay(), "TCP_NODELAY on a socket accepted by " + listener);
        }
      }
    }
  }

  private static SvidRejectedException rejectionIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SvidRejectedException rejection) {
        return rejection;
      }
    }
    throw new AssertionError("no SvidRejectedException in the cause chain", e);
  }
}

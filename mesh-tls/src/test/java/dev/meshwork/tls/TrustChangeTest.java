package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.tls.LoopbackTlsServer.Handshake;
import dev.meshwork.tls.PeerNotAuthorizedException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Removing a trust anchor revokes its CA: a server socket made before the server's bundle changed
 * from CA1 to CA2 must refuse every new CA1 client, including one resuming a session from before
 * the change, and a re-check of a connection still open reports it untrusted. Clients trust both
 * CAs here, so only the server's decision is tested.
 */
class TrustChangeTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  final ManualClock clock = new ManualClock(NOW);
  final BuiltInCa ca1 = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  final BuiltInCa ca2 = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  final TrustBundle both = TrustBundle.of(DOMAIN, ca1.rootCertificate(), ca2.rootCertificate());
  final PeerAuthorizer authorizer = PeerAuthorizer.builder().allow(RESTBASE).build();
  SettableSource serverSource;
  LoopbackTlsServer server;

  @BeforeEach
  void startServer() throws IOException {
    serverSource = new SettableSource(ca1.issue(MATHOID));
  }

  @AfterEach
  void stopServer() throws IOException {
    server.close();
  }

  @Test
  void aServerSocketMadeBeforeTheBundleChangedRefusesClientsOfTheRemovedAnchor() throws Exception {
    LiveVerifier verifier = LiveVerifier.acceptingAnyMember(serverSource, clock);
    SSLContext serverContext = MeshSslContexts.server(serverSource, verifier);
    server = new LoopbackTlsServer(serverContext);
    SSLContext ca1Client = client(ca1.issue(RESTBASE));

    SSLSession before;
    try (SSLSocket first = connect(ca1Client)) {
      assertEquals("echo hello", MeshSslContextsTest.echo(first, "hello")); // ticket received
      Handshake accepted = server.nextHandshake();
      assertEquals(RESTBASE, SpiffeVerifier.identityOf(accepted.peerLeaf()));
      before = accepted.session();
    }
    assertEquals(RESTBASE, authorizer.authorize(before, verifier));

    serverSource.set(ca2.issue(MATHOID));
    MeshSslContexts.invalidateSessions(serverContext);

    assertRefused(ca1Client); // the same client context offers its session from before
    assertRefused(client(ca1.issue(RESTBASE))); // and a fresh one does a full handshake
    try (SSLSocket ca2Client = connect(client(ca2.issue(RESTBASE)))) {
      assertEquals("echo hello", MeshSslContextsTest.echo(ca2Client, "hello"));
      assertEquals(RESTBASE, SpiffeVerifier.identityOf(server.nextHandshake().peerLeaf()));
    }
    PeerNotAuthorizedException untrusted =
        assertThrows(
            PeerNotAuthorizedException.class, () -> authorizer.authorize(before, verifier));
    assertEquals(Reason.UNTRUSTED, untrusted.reason());
    assertEquals(RESTBASE, untrusted.peerId().orElseThrow());
  }

  @Test
  void aVerifierWhoseAnchorsChangeWithoutAnyNotificationStopsResumption() throws Exception {
    AtomicReference<SpiffeVerifier> verifier = new AtomicReference<>(anyMember(ca1.trustBundle()));
    server = new LoopbackTlsServer(MeshSslContexts.server(serverSource, verifier::get));
    SSLContext ca1Client = client(ca1.issue(RESTBASE));
    try (SSLSocket first = connect(ca1Client)) {
      assertEquals("echo hello", MeshSslContextsTest.echo(first, "hello"));
      server.nextHandshake().peerLeaf();
    }

    verifier.set(anyMember(ca2.trustBundle())); // no listener hears of this, nothing invalidated

    assertRefused(ca1Client);
  }

  private void assertRefused(SSLContext client) throws InterruptedException {
    assertThrows(
        IOException.class,
        () -> {
          try (SSLSocket socket = connect(client)) {
            MeshSslContextsTest.echo(socket, "let me in"); // TLS 1.3: the refusal arrives on a read
          }
        });
    Handshake refused = server.nextHandshake();
    // The server's trust manager ran and rejected the CA1 chain: no session was resumed.
    assertEquals(
        SvidRejectedException.Reason.UNTRUSTED_ROOT,
        rejectionIn(refused.failure()).reason(),
        String.valueOf(refused.failure()));
  }

  private SSLContext client(IssuedIdentity identity) {
    SpiffeVerifier trustsBoth =
        SpiffeVerifier.builder().trustBundle(both).accept(MATHOID).clock(clock).build();
    return MeshSslContexts.client(new SettableSource(identity), () -> trustsBoth);
  }

  private SpiffeVerifier anyMember(TrustBundle bundle) {
    return SpiffeVerifier.builder().trustBundle(bundle).acceptAnyMember().clock(clock).build();
  }

  private SSLSocket connect(SSLContext client) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
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

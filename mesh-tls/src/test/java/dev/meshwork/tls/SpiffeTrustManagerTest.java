package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.tls.SvidRejectedException.Reason;
import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The trust manager maps JSSE's callbacks to the verifier, and works in a real handshake. */
class SpiffeTrustManagerTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  ManualClock clock;
  BuiltInCa ca;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  }

  SpiffeVerifier accepting(SpiffeId... ids) {
    return SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(ids).clock(clock).build();
  }

  @Test
  void serverChecksUseTheServerRoleAndClientChecksTheClientRole() throws Exception {
    TestAuthority root = TestAuthority.root("Root", NOW);
    SpiffeVerifier verifier =
        SpiffeVerifier.builder()
            .trustBundle(TrustBundle.of(DOMAIN, root.certificate()))
            .accept(MATHOID)
            .clock(clock)
            .build();
    X509Certificate serverOnly =
        root.leafBuilder(MATHOID.toString())
            .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth)
            .build();
    SpiffeTrustManager trustManager = SpiffeTrustManager.of(verifier);
    X509Certificate[] chain = {serverOnly};
    trustManager.checkServerTrusted(chain, "ECDHE_ECDSA");
    trustManager.checkServerTrusted(chain, "ECDHE_ECDSA", (SSLEngine) null);
    trustManager.checkServerTrusted(chain, "ECDHE_ECDSA", (java.net.Socket) null);
    for (ThrowingCheck check :
        new ThrowingCheck[] {
          () -> trustManager.checkClientTrusted(chain, "ECDHE_ECDSA"),
          () -> trustManager.checkClientTrusted(chain, "ECDHE_ECDSA", (SSLEngine) null),
          () -> trustManager.checkClientTrusted(chain, "ECDHE_ECDSA", (java.net.Socket) null)
        }) {
      SvidRejectedException e = assertThrows(SvidRejectedException.class, check::run);
      assertEquals(Reason.WRONG_EXTENDED_KEY_USAGE, e.reason());
    }
  }

  @Test
  void acceptedIssuersAreTheBundleAnchors() {
    assertArrayEquals(
        new X509Certificate[] {ca.rootCertificate()},
        SpiffeTrustManager.of(accepting(MATHOID)).getAcceptedIssuers());
  }

  @Test
  void nullOrEmptyChainIsRejected() {
    SpiffeTrustManager trustManager = SpiffeTrustManager.of(accepting(MATHOID));
    assertEquals(
        Reason.EMPTY_CHAIN,
        assertThrows(
                SvidRejectedException.class,
                () -> trustManager.checkServerTrusted(null, "ECDHE_ECDSA"))
            .reason());
    assertEquals(
        Reason.EMPTY_CHAIN,
        assertThrows(
                SvidRejectedException.class,
                () -> trustManager.checkClientTrusted(new X509Certificate[0], "ECDHE_ECDSA"))
            .reason());
  }

  @Test
  void liveTrustManagerFollowsItsSupplier() throws Exception {
    AtomicReference<SpiffeVerifier> current = new AtomicReference<>(accepting(MATHOID));
    SpiffeTrustManager trustManager = SpiffeTrustManager.live(current::get);
    X509Certificate[] restbase = ca.issue(RESTBASE).chain().toArray(new X509Certificate[0]);
    assertEquals(
        Reason.ID_NOT_ACCEPTED,
        assertThrows(
                SvidRejectedException.class,
                () -> trustManager.checkServerTrusted(restbase, "ECDHE_ECDSA"))
            .reason());
    current.set(accepting(MATHOID, RESTBASE));
    trustManager.checkServerTrusted(restbase, "ECDHE_ECDSA");
  }

  @Test
  void mutualTls13HandshakeAuthenticatesBothSidesBySpiffeId() throws Exception {
    SSLEngine client = engine(ca.issue(RESTBASE), accepting(MATHOID), true);
    SSLEngine server = engine(ca.issue(MATHOID), accepting(RESTBASE), false);
    handshake(client, server);
    assertEquals("TLSv1.3", client.getSession().getProtocol());
    X509Certificate serverLeaf = (X509Certificate) client.getSession().getPeerCertificates()[0];
    assertEquals(MATHOID, SpiffeVerifier.identityOf(serverLeaf));
    X509Certificate clientLeaf = (X509Certificate) server.getSession().getPeerCertificates()[0];
    assertEquals(RESTBASE, SpiffeVerifier.identityOf(clientLeaf));
  }

  @Test
  void handshakeFailsWhenTheServerIsNotTheExpectedIdentity() throws Exception {
    SSLEngine client = engine(ca.issue(RESTBASE), accepting(MATHOID), true);
    SSLEngine impostor =
        engine(
            ca.issue(SpiffeId.forService(DOMAIN, "default", "impostor")),
            accepting(RESTBASE),
            false);
    SSLException e = assertThrows(SSLException.class, () -> handshake(client, impostor));
    assertEquals(Reason.ID_NOT_ACCEPTED, rejectionIn(e).reason());
  }

  @Test
  void handshakeFailsWhenTheClientComesFromAnotherCa() throws Exception {
    BuiltInCa stranger = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    SSLEngine client =
        engine(
            stranger.issue(RESTBASE),
            SpiffeVerifier.builder()
                .trustBundle(ca.trustBundle().with(stranger.rootCertificate()))
                .accept(MATHOID)
                .clock(clock)
                .build(),
            true);
    SSLEngine server = engine(ca.issue(MATHOID), accepting(RESTBASE), false);
    SSLException e = assertThrows(SSLException.class, () -> handshake(client, server));
    assertEquals(Reason.UNTRUSTED_ROOT, rejectionIn(e).reason());
  }

  private interface ThrowingCheck {
    void run() throws Exception;
  }

  private static SvidRejectedException rejectionIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SvidRejectedException rejection) {
        return rejection;
      }
    }
    throw new AssertionError("no SvidRejectedException in the cause chain", e);
  }

  private static SSLEngine engine(IssuedIdentity identity, SpiffeVerifier verifier, boolean client)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLSv1.3");
    context.init(
        new KeyManager[] {new FixedKeyManager(identity)},
        new TrustManager[] {SpiffeTrustManager.of(verifier)},
        null);
    // A host name on purpose: the trust manager must not compare it with anything.
    SSLEngine engine = context.createSSLEngine("10.0.0.7", 8443);
    engine.setUseClientMode(client);
    if (!client) {
      engine.setNeedClientAuth(true);
    }
    return engine;
  }

  /** Drives both engines over in-memory buffers until both finish or one throws. */
  private static void handshake(SSLEngine client, SSLEngine server) throws SSLException {
    int size = Math.max(client.getSession().getPacketBufferSize(), 1 << 17);
    ByteBuffer toServer = ByteBuffer.allocate(size);
    ByteBuffer toClient = ByteBuffer.allocate(size);
    client.beginHandshake();
    server.beginHandshake();
    for (int round = 0; round < 200; round++) {
      boolean clientDone = step(client, toClient, toServer);
      boolean serverDone = step(server, toServer, toClient);
      if (clientDone && serverDone && toServer.position() == 0 && toClient.position() == 0) {
        return;
      }
    }
    throw new AssertionError("handshake did not finish");
  }

  private static boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
    ByteBuffer application = ByteBuffer.allocate(1 << 17);
    for (int i = 0; i < 50; i++) {
      HandshakeStatus status = engine.getHandshakeStatus();
      switch (status) {
        case NEED_TASK -> {
          for (Runnable task = engine.getDelegatedTask();
              task != null;
              task = engine.getDelegatedTask()) {
            task.run();
          }
        }
        case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
          in.flip();
          int before = in.remaining();
          engine.unwrap(in, application);
          boolean consumed = in.remaining() < before;
          in.compact();
          if (!consumed && engine.getHandshakeStatus() == status) {
            return false; // waiting for the peer
          }
        }
        default -> {
          // Drain anything still buffered (TLS 1.3 session tickets) so the peer sees it.
          if (in.position() > 0) {
            in.flip();
            engine.unwrap(in, application);
            in.compact();
          }
          return true;
        }
      }
    }
    return false;
  }
}

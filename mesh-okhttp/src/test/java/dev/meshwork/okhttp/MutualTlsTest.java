package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.CertificatePinner;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mutual TLS between the mesh client and real JDK HTTPS servers with built-in CA certificates. */
class MutualTlsTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final SpiffeId CITOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "citoid");

  private final BuiltInCa ca = BuiltInCa.builder().build();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  private TlsBackend backend(String name, SpiffeId presents) throws Exception {
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(presents).build();
    TlsBackend backend = new TlsBackend(name, source, MeshClock.system());
    resources.add(backend);
    resources.add(source);
    return backend;
  }

  /** This workload's identity from the CA, fixed for the test. */
  private MeshTls restbaseTls() {
    IssuedIdentity identity = ca.issue(RESTBASE);
    CertificateSource fixed =
        new CertificateSource() {
          @Override
          public IssuedIdentity current() {
            return identity;
          }

          @Override
          public void addListener(Consumer<IssuedIdentity> listener) {}

          @Override
          public String describe() {
            return "fixed";
          }

          @Override
          public void close() {}
        };
    return MeshTls.builder().source(fixed).build();
  }

  private Mesh mesh(MeshBuilder builder) {
    Mesh mesh = builder.build();
    resources.add(0, mesh);
    return mesh;
  }

  /** Two mathoid backends taken in turn by a mesh with restbase's identity. */
  private Mesh twoMathoids() throws Exception {
    TlsBackend one = backend("mathoid-1", MATHOID);
    TlsBackend two = backend("mathoid-2", MATHOID);
    return mesh(
        Mesh.builder()
            .security(restbaseTls())
            .service(
                "mathoid",
                s ->
                    s.endpoints(one.address(), two.address())
                        .loadBalancer(LoadBalancers.roundRobin())));
  }

  @Test
  void callsToAServiceUseMutualTls13AndTheServerSeesOurIdentity() throws Exception {
    Mesh mesh = twoMathoids();
    HandshakeCounter handshakes = new HandshakeCounter();
    OkHttpClient client =
        MeshOkHttp.of(mesh).client().newBuilder().eventListener(handshakes).build();

    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      try (Response response =
          client.newCall(new Request.Builder().url("http://mathoid/render").build()).execute()) {
        assertEquals(200, response.code());
        assertEquals(
            "https", response.request().url().scheme(), "the logical http URL is sent over TLS");
        assertEquals(TlsVersion.TLS_1_3, response.handshake().tlsVersion());
        bodies.add(response.body().string());
      }
    }
    assertEquals("mathoid-1 saw " + RESTBASE, bodies.get(0));
    assertEquals("mathoid-2 saw " + RESTBASE, bodies.get(1));
    assertEquals(
        2, handshakes.count.get(), "one TLS handshake per endpoint, then pooled connections");
  }

  @Test
  void connectionsToEveryEndpointShareOneCertificatePinnerSoPoolLookupsCompareByIdentity()
      throws Exception {
    Mesh mesh = twoMathoids();
    List<CertificatePinner> pinners = new ArrayList<>();
    OkHttpClient client =
        MeshOkHttp.of(mesh)
            .client()
            .newBuilder()
            .addNetworkInterceptor(
                chain -> {
                  pinners.add(chain.connection().route().address().certificatePinner());
                  return chain.proceed(chain.request());
                })
            .build();

    for (int i = 0; i < 4; i++) {
      MeshOkHttpTest.get(client, "http://mathoid/render");
    }
    assertEquals(4, pinners.size());
    for (CertificatePinner pinner : pinners) {
      // OkHttp would otherwise make a pinner per call and compare them field by field with every
      // idle connection.
      assertSame(
          pinners.get(0), pinner, "the connection to each endpoint was made with the same pinner");
    }
  }

  @Test
  void aServerWithAnotherIdentityIsRefusedNamingServiceEndpointAndReason() throws Exception {
    TlsBackend impostor = backend("citoid-1", CITOID);
    Mesh mesh =
        mesh(
            Mesh.builder()
                .security(restbaseTls())
                .service("mathoid", s -> s.endpoints(impostor.address())));
    MeshException.EndpointFailed e =
        assertThrows(
            MeshException.EndpointFailed.class,
            () -> MeshOkHttpTest.get(MeshOkHttp.of(mesh).client(), "http://mathoid/render"));
    assertTrue(
        e.getMessage().startsWith("service 'mathoid' endpoint " + impostor.address() + ": "),
        e.getMessage());
    assertTrue(e.getMessage().contains(CITOID.toString()), e.getMessage());
  }

  @Test
  void aPlaintextServerIsNeverTalkedToInTheClear() throws Exception {
    try (ThreeBackends plain = new ThreeBackends()) {
      Mesh mesh =
          mesh(
              Mesh.builder()
                  .security(restbaseTls())
                  .service("mathoid", s -> s.endpoints(plain.addresses()[0])));
      assertThrows(
          MeshException.EndpointFailed.class,
          () -> MeshOkHttpTest.get(MeshOkHttp.of(mesh).client(), "http://mathoid/render"));
      assertEquals(
          0, plain.get(0).getAllServeEvents().size(), "no request reached the plaintext server");
    }
  }

  @Test
  void aPlaintextEndpointIsReportedAsAnsweringWithoutTls() throws Exception {
    try (ThreeBackends plain = new ThreeBackends()) {
      String endpoint = plain.addresses()[0];
      Mesh mesh =
          mesh(
              Mesh.builder()
                  .security(restbaseTls())
                  .service("mathoid", s -> s.endpoints(endpoint)));
      MeshException.EndpointFailed e =
          assertThrows(
              MeshException.EndpointFailed.class,
              () -> MeshOkHttpTest.get(MeshOkHttp.of(mesh).client(), "http://mathoid/render"));
      assertTrue(
          e.getMessage().startsWith("service 'mathoid' endpoint " + endpoint + ": "),
          e.getMessage());
      assertTrue(e.getMessage().contains("answered without TLS (plaintext)"), e.getMessage());
      assertFalse(
          e.getMessage().contains("Unsupported or unrecognized SSL message"), e.getMessage());
      assertEquals(
          0, plain.get(0).getAllServeEvents().size(), "no request reached the plaintext server");
    }
  }

  @Test
  void aServiceCanOptOutExplicitlyAndMutualWithoutSecurityIsRefused() throws Exception {
    try (ThreeBackends plain = new ThreeBackends()) {
      Mesh mesh =
          mesh(
              Mesh.builder()
                  .security(restbaseTls())
                  .service("legacy", s -> s.endpoints(plain.addresses()[0]).tls(TlsMode.DISABLED)));
      assertEquals("backend-1", MeshOkHttpTest.get(MeshOkHttp.of(mesh).client(), "http://legacy/"));
    }
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .service("mathoid", s -> s.endpoints("127.0.0.1:1").tls(TlsMode.MUTUAL))
                    .build());
    assertEquals(
        "service 'mathoid' tls: 'MUTUAL' is invalid; expected a mesh with peer security"
            + " (Mesh.builder().security(...)) or tls DISABLED",
        e.getMessage());
  }

  @Test
  void configuredPeerIdentitiesReplaceTheDerivedOneAndAreValidated() throws Exception {
    TlsBackend citoidBackedMathoid = backend("mathoid-on-citoid-account", CITOID);
    Mesh mesh =
        mesh(
            Mesh.builder()
                .security(restbaseTls())
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(citoidBackedMathoid.address())
                            .peerIdentities(CITOID.toString())));
    assertEquals(
        "mathoid-on-citoid-account saw " + RESTBASE,
        MeshOkHttpTest.get(MeshOkHttp.of(mesh).client(), "http://mathoid/render"));

    MeshConfigException bad =
        assertThrows(
            MeshConfigException.class,
            () ->
                Mesh.builder()
                    .security(restbaseTls())
                    .service(
                        "mathoid", s -> s.endpoints("127.0.0.1:1").peerIdentities("spiffe://Bad/x"))
                    .build());
    assertTrue(
        bad.getMessage()
            .startsWith("service 'mathoid' peer identity #1: 'spiffe://Bad/x' is invalid; "),
        bad.getMessage());
  }

  @Test
  void aResponseHeldByTheServerTimesOutOverMutualTls() throws Exception {
    TlsBackend held = backend("mathoid-1", MATHOID);
    held.gate = new CountDownLatch(1);
    Mesh mesh =
        mesh(
            Mesh.builder()
                .security(restbaseTls())
                .service(
                    "mathoid", s -> s.endpoints(held.address()).timeout(Duration.ofMillis(300))));
    try {
      // A liveness bound, many times the timeout but under the backend's 10 s hold and OkHttp's
      // 10 s default read timeout: a read that lost its 300 ms bound would overrun it.
      MeshException.DeadlineExceeded e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () ->
                  assertThrows(
                      MeshException.DeadlineExceeded.class,
                      () ->
                          MeshOkHttpTest.get(
                              MeshOkHttp.of(mesh).client(), "http://mathoid/render")));
      assertTrue(
          e.getMessage().startsWith("service 'mathoid' endpoint " + held.address() + ": "),
          e.getMessage());
    } finally {
      held.gate.countDown();
    }
  }

  @Test
  void cancellingACallBlockedOnAMutualTlsReadEndsIt() throws Exception {
    TlsBackend held = backend("mathoid-1", MATHOID);
    held.gate = new CountDownLatch(1);
    Mesh mesh =
        mesh(
            Mesh.builder()
                .security(restbaseTls())
                .service("mathoid", s -> s.endpoints(held.address())));
    Call call =
        MeshOkHttp.of(mesh)
            .client()
            .newCall(new Request.Builder().url("http://mathoid/render").build());
    CompletableFuture<IOException> failed = AsyncFailure.of(call);
    try {
      assertTrue(held.entered.await(10, TimeUnit.SECONDS), "the request reached the server");
      call.cancel();
      // Under the backend's 10 s hold and the default 10 s read timeout: only the cancel ends it
      // this soon.
      IOException failure = failed.get(5, TimeUnit.SECONDS);
      for (Throwable t = failure; t != null; t = t.getCause()) {
        assertFalse(
            t instanceof java.net.SocketTimeoutException,
            "ended by a timeout, not the cancel: " + failure);
      }
    } finally {
      held.gate.countDown();
    }
  }

  /** Counts TLS handshakes started by the client it is installed in. */
  static final class HandshakeCounter extends EventListener {
    final AtomicInteger count = new AtomicInteger();

    @Override
    public void secureConnectStart(Call call) {
      count.incrementAndGet();
    }

    @Override
    public void connectStart(Call call, InetSocketAddress address, Proxy proxy) {}
  }
}

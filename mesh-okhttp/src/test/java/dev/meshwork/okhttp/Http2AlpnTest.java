package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.okhttp.MutualTlsTest.HandshakeCounter;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.TrustDomain;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.TlsVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mesh offers h2 and http/1.1 by ALPN over TLS 1.3: against a server that speaks HTTP/2 the
 * calls to one endpoint share one multiplexed connection; against one that does not, they use
 * HTTP/1.1. The servers are OkHttp's MockWebServer (with ALPN) and the JDK's HTTPS server
 * (without), both with mesh-issued certificates and mandatory client certificates.
 */
class Http2AlpnTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final int CONCURRENT = 8;

  private final BuiltInCa ca = BuiltInCa.builder().build();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final HandshakeCounter handshakes = new HandshakeCounter();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void http2IsNegotiatedAndConcurrentCallsShareOneConnection() throws Exception {
    CountDownLatch allArrived = new CountDownLatch(CONCURRENT + 1);
    MockWebServer server =
        mockServer(
            List.of(Protocol.HTTP_2, Protocol.HTTP_1_1),
            new Dispatcher() {
              @Override
              public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                allArrived.countDown();
                if (!request.getUrl().encodedPath().equals("/warm-up")
                    && !allArrived.await(10, TimeUnit.SECONDS)) {
                  return new MockResponse.Builder()
                      .code(504)
                      .body("not all calls arrived together")
                      .build();
                }
                return new MockResponse.Builder().code(200).body(clientIdOf(request)).build();
              }
            });
    OkHttpClient client = meshClient(server);

    try (Response warmUp =
        client.newCall(new Request.Builder().url("http://mathoid/warm-up").build()).execute()) {
      assertEquals(Protocol.HTTP_2, warmUp.protocol());
      assertEquals(TlsVersion.TLS_1_3, warmUp.handshake().tlsVersion());
      assertEquals(
          RESTBASE.toString(),
          warmUp.body().string(),
          "the server saw the mesh's client certificate");
    }
    // A thread per call: the calls must all be in flight at once, which the common pool does not
    // promise (on 2 cores its parallelism is 1, and Java 25 no longer starts a thread per task
    // then).
    ExecutorService callers = Executors.newFixedThreadPool(CONCURRENT);
    resources.add(callers::shutdownNow);
    List<CompletableFuture<Protocol>> calls = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      calls.add(
          CompletableFuture.supplyAsync(
              () -> {
                try (Response response =
                    client
                        .newCall(new Request.Builder().url("http://mathoid/together").build())
                        .execute()) {
                  assertEquals(200, response.code(), response.body().string());
                  return response.protocol();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              callers));
    }
    for (CompletableFuture<Protocol> call : calls) {
      assertEquals(Protocol.HTTP_2, call.get(20, TimeUnit.SECONDS));
    }

    assertEquals(
        1, handshakes.count.get(), "all calls, in flight together, used the warm-up's connection");
    Set<Integer> connections = new HashSet<>();
    for (int i = 0; i < CONCURRENT + 1; i++) {
      connections.add(server.takeRequest(5, TimeUnit.SECONDS).getConnectionIndex());
    }
    assertEquals(Set.of(0), connections);
  }

  @Test
  void http11IsNegotiatedWhenTheServerOffersOnlyHttp11() throws Exception {
    // A server whose only ALPN protocol is http/1.1 refuses a client whose ALPN offer lacks it.
    MockWebServer server = mockServer(List.of(Protocol.HTTP_1_1), null);
    server.enqueue(new MockResponse.Builder().code(200).body("h1").build());
    try (Response response =
        meshClient(server)
            .newCall(new Request.Builder().url("http://mathoid/").build())
            .execute()) {
      assertEquals(Protocol.HTTP_1_1, response.protocol());
      assertEquals(TlsVersion.TLS_1_3, response.handshake().tlsVersion());
    }
    assertEquals(
        TlsVersion.TLS_1_3, server.takeRequest(5, TimeUnit.SECONDS).getHandshake().tlsVersion());
  }

  @Test
  void http11IsUsedWithAServerWithoutAlpn() throws Exception {
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build();
    resources.add(source);
    TlsBackend backend = new TlsBackend("jdk", source, MeshClock.system());
    resources.add(backend);
    Mesh mesh = mesh(backend.address());
    try (Response response =
        MeshOkHttp.of(mesh)
            .client()
            .newCall(new Request.Builder().url("http://mathoid/").build())
            .execute()) {
      assertEquals(Protocol.HTTP_1_1, response.protocol());
      assertEquals("jdk saw " + RESTBASE, response.body().string());
    }
  }

  private MockWebServer mockServer(List<Protocol> protocols, Dispatcher dispatcher)
      throws Exception {
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build();
    resources.add(source);
    MockWebServer server = new MockWebServer();
    resources.add(server);
    server.useHttps(
        MeshSslContexts.server(source, LiveVerifier.acceptingAnyMember(source, MeshClock.system()))
            .getSocketFactory());
    server.requireClientAuth();
    server.setProtocols(protocols);
    if (dispatcher != null) {
      server.setDispatcher(dispatcher);
    }
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  private OkHttpClient meshClient(MockWebServer server) {
    Mesh mesh = mesh("127.0.0.1:" + server.getPort());
    return MeshOkHttp.of(mesh).client().newBuilder().eventListener(handshakes).build();
  }

  private Mesh mesh(String endpoint) {
    BuiltInCaSource restbase = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build();
    resources.add(restbase);
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(restbase).build())
            .service("mathoid", s -> s.endpoints(endpoint))
            .build();
    resources.add(0, mesh);
    return mesh;
  }

  private static String clientIdOf(RecordedRequest request) {
    try {
      return SpiffeVerifier.identityOf(
              (X509Certificate) request.getHandshake().peerCertificates().get(0))
          .toString();
    } catch (Exception e) {
      return "no client SVID: " + e;
    }
  }
}

package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.okhttp.MutualTlsTest.HandshakeCounter;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustBundle;
import dev.meshwork.tls.TrustDomain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Removing an anchor from the trust bundle retires the pooled connections to peers issued by it,
 * idle or in use, and no later call reaches such a peer: not over a pooled connection, not over a
 * resumed TLS session. Peers of the remaining anchors keep being served.
 */
class TrustAnchorRemovalTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  private final BuiltInCa oldCa = BuiltInCa.builder().build();
  private final BuiltInCa newCa = BuiltInCa.builder().build();
  private final TrustBundle both = oldCa.trustBundle().with(newCa.rootCertificate());
  private final List<AutoCloseable> resources = new ArrayList<>();
  @TempDir Path dir;
  private PemFiles restbaseFiles;
  private PemFileSource restbase;
  private TlsBackend oldBackend;
  private TlsBackend newBackend;
  private MeshOkHttp http;
  private HandshakeCounter handshakes;
  private OkHttpClient client;

  @BeforeEach
  void start() throws Exception {
    restbaseFiles = new PemFiles(dir.resolve("restbase"), withBundle(newCa.issue(RESTBASE), both));
    restbase = restbaseFiles.source();
    resources.add(restbase);
    oldBackend = backend("old", withBundle(oldCa.issue(MATHOID), both));
    newBackend = backend("new", withBundle(newCa.issue(MATHOID), both));
    // No retries: these tests count handshakes, and a refused handshake is a connect failure the
    // mesh would otherwise retry (RetryStageTest covers that).
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(restbase).build())
            .service(
                "mathoid", s -> s.endpoints(oldBackend.address()).retries(RetryPolicy.disabled()))
            .service(
                "mathoid-v2",
                s ->
                    s.endpoints(newBackend.address())
                        .peerIdentities(MATHOID.toString())
                        .retries(RetryPolicy.disabled()))
            .build();
    resources.add(0, mesh);
    http = MeshOkHttp.of(mesh);
    handshakes = new HandshakeCounter();
    client = http.client().newBuilder().eventListener(handshakes).build();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void pooledConnectionsToPeersOfTheRemovedAnchorAreEvictedAndThosePeersRefused() throws Exception {
    assertEquals(200, status("http://mathoid/"));
    assertEquals(200, status("http://mathoid/"));
    assertEquals(200, status("http://mathoid-v2/"));
    assertEquals(2, handshakes.count.get(), "one handshake per endpoint, then the pool");
    assertEquals(2, http.connectionPool().connectionCount());

    removeTheOldAnchor();

    assertEquals(0, http.connectionPool().connectionCount(), "idle connections were evicted");
    MeshException.EndpointFailed refused =
        assertThrows(MeshException.EndpointFailed.class, () -> status("http://mathoid/"));
    assertTrue(
        refused.getMessage().startsWith("service 'mathoid' endpoint " + oldBackend.address()),
        refused.getMessage());
    assertEquals(
        3,
        handshakes.count.get(),
        "a full handshake was tried and refused: no pooled connection, no resumed session");
    assertEquals(
        200, status("http://mathoid-v2/"), "peers of the remaining anchor are still served");
    assertEquals(4, handshakes.count.get());
    assertEquals(200, status("http://mathoid-v2/"));
    assertEquals(4, handshakes.count.get(), "and pooled again");
  }

  @Test
  void aConnectionInUseWhenTheAnchorGoesFinishesItsCallAndIsNotReused() throws Exception {
    oldBackend.gate = new CountDownLatch(1);
    CompletableFuture<Integer> inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return status("http://mathoid/");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(oldBackend.entered.await(10, TimeUnit.SECONDS), "the call reached the server");

    removeTheOldAnchor();
    oldBackend.gate.countDown();

    assertEquals(
        200, inFlight.get(10, TimeUnit.SECONDS), "the request was already sent: it completes");
    assertEquals(
        0,
        http.connectionPool().connectionCount(),
        "the retired connection closed once its call ended");
    assertThrows(MeshException.EndpointFailed.class, () -> status("http://mathoid/"));
    assertEquals(
        2, handshakes.count.get(), "the second call had to handshake again, and was refused");
  }

  @Test
  void aConnectionMadeJustBeforeTheChangeCarriesNoRequestAfterIt() throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    // A network interceptor of the application's runs between the handshake and the mesh's guard.
    OkHttpClient gated =
        http.wrap(
            new OkHttpClient.Builder()
                .eventListener(handshakes)
                .addNetworkInterceptor(
                    chain -> {
                      connected.countDown();
                      try {
                        proceed.await(10, TimeUnit.SECONDS);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return chain.proceed(chain.request());
                    })
                .build());
    CompletableFuture<Response> call =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return gated
                    .newCall(new Request.Builder().url("http://mathoid/").build())
                    .execute();
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(
        connected.await(10, TimeUnit.SECONDS), "the connection was made under the old anchors");

    removeTheOldAnchor();
    proceed.countDown();

    ExecutionException failed =
        assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
    Throwable cause = failed.getCause().getCause();
    assertTrue(cause instanceof MeshException.EndpointFailed, String.valueOf(cause));
    assertTrue(cause.getMessage().contains("no longer verifies"), cause.getMessage());
    assertTrue(
        oldBackend.clientSerials.isEmpty(), "no request reached the peer of the removed anchor");
    assertEquals(
        0, http.connectionPool().connectionCount(), "the connection was retired and closed");
  }

  /**
   * The middle step of an anchor rotation: the client's own leaf moves to the new CA while both
   * anchors are trusted. A connection that presented the old CA's leaf would be refused by every
   * server once they drop the old anchor, and a busy connection never idles out; so it is retired
   * now, while its replacement can still be made, although its server still verifies.
   */
  @Test
  void aConnectionThatPresentedTheOldCasCertificateIsRetiredWhenTheLeafMovesToTheNewCa()
      throws Exception {
    restbaseFiles.writeIdentity(oldCa.issue(RESTBASE));
    assertTrue(restbase.reload());
    newBackend.gate = new CountDownLatch(1);
    CompletableFuture<Integer> inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return status("http://mathoid-v2/");
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertTrue(newBackend.entered.await(10, TimeUnit.SECONDS), "the call reached the server");
    IssuedIdentity renewed = newCa.issue(RESTBASE);
    restbaseFiles.writeIdentity(renewed);
    assertTrue(restbase.reload(), "the leaf of the new CA was loaded");
    newBackend.gate.countDown();
    assertEquals(200, inFlight.get(10, TimeUnit.SECONDS), "the call in flight completes");

    assertEquals(200, status("http://mathoid-v2/"));
    assertEquals(
        2,
        handshakes.count.get(),
        "the connection that presented the old CA's leaf was not reused: a new one was made");
    assertTrue(
        newBackend.clientSerials.contains(renewed.leaf().getSerialNumber()),
        "the new connection presented the leaf of the new CA");
  }

  @Test
  void addingAnAnchorKeepsServingAndLeavesNoStrandedConnections() throws Exception {
    BuiltInCa third = BuiltInCa.builder().build();
    assertEquals(200, status("http://mathoid/"));
    restbaseFiles.writeBundle(both.with(third.rootCertificate()));
    assertTrue(restbase.reload());
    assertEquals(
        0,
        http.connectionPool().connectionCount(),
        "OkHttp would not reuse a connection made under other anchors; it is not left idle either");
    assertEquals(200, status("http://mathoid/"));
    assertEquals(200, status("http://mathoid/"));
    assertEquals(2, handshakes.count.get());
    assertEquals(1, http.connectionPool().connectionCount());
  }

  /** The team's PKI drops the old root from the bundle file; the source picks it up. */
  private void removeTheOldAnchor() throws Exception {
    restbaseFiles.writeBundle(newCa.trustBundle());
    assertTrue(restbase.reload(), "the new bundle was loaded");
  }

  private int status(String url) throws Exception {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      response.body().string();
      return response.code();
    }
  }

  private TlsBackend backend(String name, IssuedIdentity identity) throws Exception {
    PemFileSource source = new PemFiles(dir.resolve(name), identity).source();
    TlsBackend backend = new TlsBackend(name, source, MeshClock.system());
    resources.add(backend);
    resources.add(source);
    return backend;
  }

  private static IssuedIdentity withBundle(IssuedIdentity identity, TrustBundle bundle) {
    return IssuedIdentity.of(identity.privateKey(), identity.chain(), bundle);
  }
}

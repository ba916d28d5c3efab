package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server side as an application uses it: a JDK {@code HttpsServer} on a mesh server context
 * that accepts any workload of the trust domain, and a {@link PeerAuthorizer} deciding per request
 * from the caller's SPIFFE ID.
 */
class HttpsServerAuthorizationTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");
  static final SpiffeId IMPOSTOR = SpiffeId.forService(DOMAIN, "default", "impostor");

  ManualClock clock;
  ManualScheduler scheduler;
  BuiltInCa ca;
  HttpsServer server;
  ExecutorService handlers;
  URI uri;

  @BeforeEach
  void startServer() throws IOException {
    clock = new ManualClock(NOW);
    scheduler = new ManualScheduler(clock);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    SpiffeVerifier anyWorkload =
        SpiffeVerifier.builder()
            .trustBundle(ca.trustBundle())
            .acceptAnyMember()
            .clock(clock)
            .build();
    SSLContext context = MeshSslContexts.server(source(MATHOID), () -> anyWorkload);
    PeerAuthorizer authorizer = PeerAuthorizer.builder().allow(RESTBASE).build();

    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(MeshSslContexts.httpsConfigurator(context));
    server.createContext(
        "/",
        exchange -> {
          int status;
          String body;
          try {
            SpiffeId caller = authorizer.authorize(((HttpsExchange) exchange).getSSLSession());
            status = 200;
            body = "hello " + caller;
          } catch (PeerNotAuthorizedException e) {
            status = 403;
            body = e.getMessage();
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    handlers = Executors.newSingleThreadExecutor();
    server.setExecutor(handlers);
    server.start();
    uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    handlers.shutdownNow();
  }

  BuiltInCaSource source(SpiffeId id) {
    return BuiltInCaSource.builder()
        .ca(ca)
        .spiffeId(id)
        .scheduler(scheduler)
        .clock(clock)
        .random(new SplittableRandom(1))
        .build();
  }

  HttpResponse<String> call(SSLContext client) throws Exception {
    HttpClient http =
        HttpClient.newBuilder().sslContext(client).connectTimeout(Duration.ofSeconds(10)).build();
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  SSLContext clientFor(SpiffeId id) {
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).clock(clock).build();
    return MeshSslContexts.client(source(id), () -> verifier);
  }

  @Test
  void anAllowedCallerIsServedAndNamed() throws Exception {
    HttpResponse<String> response = call(clientFor(RESTBASE));
    assertEquals(200, response.statusCode(), response.body());
    assertEquals("hello " + RESTBASE, response.body());
    assertEquals("TLSv1.3", response.sslSession().orElseThrow().getProtocol());
  }

  @Test
  void anAuthenticatedButUnlistedCallerIsForbiddenWithItsIdInTheReason() throws Exception {
    HttpResponse<String> response = call(clientFor(IMPOSTOR));
    assertEquals(403, response.statusCode());
    assertTrue(response.body().contains("'" + IMPOSTOR + "' is not authorized"), response.body());
  }

  @Test
  void aCallerWithoutACertificateCannotConnect() throws Exception {
    SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).clock(clock).build();
    anonymous.init(null, new TrustManager[] {SpiffeTrustManager.of(verifier)}, null);
    assertThrows(IOException.class, () -> call(anonymous));
  }
}

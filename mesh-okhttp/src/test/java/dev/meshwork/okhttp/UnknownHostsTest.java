package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls to hosts that are not mesh services, through a wrapped client whose DNS sends every name to
 * a real loopback server: a mistyped service is refused before anything reaches it when the mesh
 * has an identity, and passes through when the policy says so.
 */
class UnknownHostsTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final String CARD = "{\"card\":\"4111111111111111\"}";

  private final Closer closer = new Closer();

  /** What the outside server received: "METHOD host body" per request. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  /** Names the wrapped client's DNS was asked for. */
  private final List<String> lookups = new CopyOnWriteArrayList<>();

  private int port;

  @BeforeEach
  void startOutsideServer() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Host")
                  + " "
                  + body);
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    closer.add(() -> server.stop(0));
    port = server.getAddress().getPort();
  }

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  private MeshBuilder secureMesh() {
    BuiltInCaSource identity =
        closer.add(
            BuiltInCaSource.builder().ca(BuiltInCa.builder().build()).spiffeId(RESTBASE).build());
    return Mesh.builder()
        .security(MeshTls.builder().source(identity).build())
        .service("billing", s -> s.endpoints(Backends.closedAddress()))
        .service("mathoid", s -> s.endpoints(Backends.closedAddress()));
  }

  /**
   * The application's client, wrapped; its DNS resolves every name to the outside server's
   * loopback.
   */
  private OkHttpClient wrapped(Mesh mesh) {
    Dns loopback =
        hostname -> {
          lookups.add(hostname);
          return List.of(InetAddress.getLoopbackAddress());
        };
    return MeshOkHttp.of(closer.add(mesh)).wrap(new OkHttpClient.Builder().dns(loopback).build());
  }

  private int post(OkHttpClient client, String host) throws IOException {
    Request request =
        new Request.Builder()
            .url("http://" + host + ":" + port + "/charge")
            .post(RequestBody.create(CARD, MediaType.get("application/json")))
            .build();
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }

  @Test
  void aMisspelledServiceIsRefusedBeforeAnythingIsSentWhenTheMeshHasAnIdentity()
      throws IOException {
    Mesh mesh = secureMesh().build();
    OkHttpClient client = wrapped(mesh);

    UnknownMeshHostException e =
        assertThrows(UnknownMeshHostException.class, () -> post(client, "biling"));

    assertEquals(
        "host 'biling' is not a mesh service (services: billing, mathoid) and unknown hosts are refused"
            + " because the mesh has an identity; configure the service, or set unknownHosts(PASS_THROUGH)",
        e.getMessage());
    assertEquals("biling", e.host());
    assertEquals(UnknownHostPolicy.REFUSE_MESH_LIKE, mesh.unknownHosts());
    assertEquals(List.of(), lookups, "the host was never even resolved");
    // The server is live: the same client reaches it under a name that passes, and only that call
    // arrives.
    assertEquals(200, post(client, "localhost"));
    assertEquals(List.of("POST localhost:" + port + " " + CARD), received);
  }

  @Test
  void hostsUnderAMeshDomainAreRefusedAndOtherHostsLocalhostAndIpLiteralsPassThrough()
      throws IOException {
    OkHttpClient client = wrapped(secureMesh().meshDomains("svc.cluster.local").build());

    UnknownMeshHostException e =
        assertThrows(
            UnknownMeshHostException.class,
            () -> post(client, "biling.payments.svc.cluster.local"));
    assertTrue(
        e.getMessage().startsWith("host 'biling.payments.svc.cluster.local' is not a mesh service"),
        e.getMessage());
    assertEquals(List.of(), received);

    assertEquals(200, post(client, "api.example.test"));
    assertEquals(200, post(client, "localhost"));
    assertEquals(200, post(client, "127.0.0.1"));
    assertEquals(
        List.of(
            "POST api.example.test:" + port + " " + CARD,
            "POST localhost:" + port + " " + CARD,
            "POST 127.0.0.1:" + port + " " + CARD),
        received);
  }

  @Test
  void passThroughWhenConfiguredSendsTheCallToTheUnknownHost() throws IOException {
    Mesh mesh = secureMesh().unknownHosts(UnknownHostPolicy.PASS_THROUGH).build();

    assertEquals(200, post(wrapped(mesh), "biling"));

    assertEquals(List.of("POST biling:" + port + " " + CARD), received);
    assertEquals(List.of("biling"), lookups);
  }

  @Test
  void withoutAnIdentityTheDefaultStaysPassThrough() throws IOException {
    Mesh mesh =
        Mesh.builder().service("billing", s -> s.endpoints(Backends.closedAddress())).build();

    assertEquals(200, post(wrapped(mesh), "biling"));

    assertEquals(UnknownHostPolicy.PASS_THROUGH, mesh.unknownHosts());
    assertEquals(List.of("POST biling:" + port + " " + CARD), received);
  }

  @Test
  void refusingCanBeChosenWithoutAnIdentityAndSaysSo() {
    Mesh mesh =
        Mesh.builder()
            .unknownHosts(UnknownHostPolicy.REFUSE_MESH_LIKE)
            .service("billing", s -> s.endpoints(Backends.closedAddress()))
            .build();

    UnknownMeshHostException e =
        assertThrows(UnknownMeshHostException.class, () -> post(wrapped(mesh), "biling"));

    assertTrue(
        e.getMessage()
            .contains("refused because the mesh builder chose unknownHosts(REFUSE_MESH_LIKE)"),
        e.getMessage());
    assertEquals(List.of(), received);
  }

  @Test
  void aMeshDomainMustBeADnsName() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> Mesh.builder().meshDomains("svc.cluster.local", "Bad Domain"));
    assertTrue(e.getMessage().startsWith("meshDomains: 'Bad Domain' is invalid"), e.getMessage());
  }
}

package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared OkHttp transport against three real WireMock backends on loopback. */
class MeshOkHttpTest {
  private ThreeBackends backends;
  private Mesh mesh;
  private MeshOkHttp http;

  @BeforeEach
  void start() {
    backends = new ThreeBackends();
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s -> s.endpoints(backends.addresses()).loadBalancer(LoadBalancers.roundRobin()))
            .service("empty", s -> s.discovery(StaticDiscovery.of()))
            .build();
    http = MeshOkHttp.of(mesh);
  }

  @AfterEach
  void stop() {
    mesh.close();
    backends.close();
  }

  @Test
  void callsToAServiceSpreadOverAllItsEndpoints() throws IOException {
    Map<String, Integer> servedBy = new TreeMap<>();
    for (int i = 0; i < 30; i++) {
      servedBy.merge(get(http.client(), "http://mathoid/render"), 1, Integer::sum);
    }
    // Round robin over three endpoints: exactly a third each.
    assertEquals(Map.of("backend-1", 10, "backend-2", 10, "backend-3", 10), servedBy);
  }

  @Test
  void backendSeesTheLogicalServiceAsHostAndTheOriginalPath() throws IOException {
    get(http.client(), "http://mathoid/render/svg?q=x");
    int served = 0;
    for (var server : backends.servers) {
      served +=
          server
              .findAll(
                  getRequestedFor(urlEqualTo("/render/svg?q=x"))
                      .withHeader("Host", equalTo("mathoid")))
              .size();
    }
    assertEquals(1, served);
  }

  @Test
  void wrappedAndMeshClientsShareOnePoolAndReuseConnections() throws IOException {
    ConnectionCounter connects = new ConnectionCounter();
    OkHttpClient users = new OkHttpClient.Builder().eventListener(connects).build();
    OkHttpClient wrapped = http.wrap(users);
    OkHttpClient plain = http.client().newBuilder().eventListener(connects).build();

    assertSame(http.connectionPool(), wrapped.connectionPool());
    assertSame(wrapped.connectionPool(), plain.connectionPool());
    assertSame(wrapped.dispatcher(), plain.dispatcher());
    assertFalse(wrapped.retryOnConnectionFailure(), "the mesh owns retries");

    for (int i = 0; i < 30; i++) {
      get(i % 2 == 0 ? wrapped : plain, "http://mathoid/render");
    }
    // Sequential calls to three endpoints need three connections in total, whichever client made
    // them.
    assertEquals(3, connects.started.get(), "connections opened for 30 calls over 2 clients");
    assertEquals(3, http.connectionPool().connectionCount());
  }

  @Test
  void wrapKeepsTheUsersSettingsAndOrdersInterceptorsAroundTheMesh() throws IOException {
    List<String> applicationSaw = new ArrayList<>();
    List<String> networkSaw = new ArrayList<>();
    OkHttpClient users =
        new OkHttpClient.Builder()
            .readTimeout(Duration.ofSeconds(7))
            .addInterceptor(
                chain -> {
                  applicationSaw.add(chain.request().url().toString());
                  return chain.proceed(
                      chain.request().newBuilder().header("x-user", "kept").build());
                })
            .addNetworkInterceptor(
                chain -> {
                  networkSaw.add(
                      chain.request().url().host()
                          + ":"
                          + chain.request().url().port()
                          + " "
                          + chain.request().tag(Endpoint.class).address());
                  return chain.proceed(chain.request());
                })
            .build();
    OkHttpClient wrapped = http.wrap(users);

    get(wrapped, "http://mathoid/render");

    assertEquals(7_000, wrapped.readTimeoutMillis());
    assertEquals(
        List.of("http://mathoid/render"),
        applicationSaw,
        "application interceptors see the logical call");
    assertEquals(1, networkSaw.size());
    String[] physical = networkSaw.get(0).split(" ");
    assertEquals(physical[0], physical[1], "network interceptors see the picked endpoint");
    assertTrue(List.of(backends.addresses()).contains(physical[0]));
    int withHeader = 0;
    for (var server : backends.servers) {
      withHeader +=
          server.findAll(anyRequestedFor(anyUrl()).withHeader("x-user", equalTo("kept"))).size();
    }
    assertEquals(1, withHeader, "headers added by the user's interceptor reach the backend");
  }

  @Test
  void wrappingTwiceLeavesOneMeshStage() throws IOException {
    OkHttpClient once = http.wrap(new OkHttpClient());
    OkHttpClient twice = http.wrap(once.newBuilder().readTimeout(Duration.ofSeconds(3)).build());
    assertSame(once, http.wrap(once), "wrapping a wrapped client is a no-op");
    assertEquals(1, twice.interceptors().size());
    assertEquals("backend-1", get(twice, "http://mathoid/render"));
    int received = backends.servers.stream().mapToInt(s -> s.getAllServeEvents().size()).sum();
    assertEquals(1, received, "one logical call is one attempt, not one per wrap");
  }

  @Test
  void unknownHostsPassThroughUntouched() throws IOException {
    var outside = backends.get(2);
    assertEquals(
        "backend-3", get(http.client(), "http://localhost:" + outside.port() + "/weather"));
    assertEquals(
        1,
        outside
            .findAll(
                getRequestedFor(urlEqualTo("/weather"))
                    .withHeader("Host", equalTo("localhost:" + outside.port())))
            .size());
  }

  @Test
  void asyncCallsGoThroughTheMeshOnTheSharedDispatcher() throws Exception {
    List<CompletableFuture<String>> results = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      CompletableFuture<String> result = new CompletableFuture<>();
      http.client()
          .newCall(new Request.Builder().url("http://mathoid/async").build())
          .enqueue(
              new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                  result.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) throws IOException {
                  try (response) {
                    result.complete(response.body().string());
                  }
                }
              });
      results.add(result);
    }
    Map<String, Integer> servedBy = new TreeMap<>();
    for (var result : results) {
      servedBy.merge(result.get(10, TimeUnit.SECONDS), 1, Integer::sum);
    }
    assertEquals(Map.of("backend-1", 3, "backend-2", 3, "backend-3", 3), servedBy);
  }

  @Test
  void aServiceWithoutEndpointsFailsNamingTheService() {
    MeshException.NoHealthyEndpoints e =
        assertThrows(
            MeshException.NoHealthyEndpoints.class,
            () -> get(http.client(), "http://empty/render"));
    assertTrue(e.getMessage().startsWith("service 'empty': no endpoints"), e.getMessage());
    assertTrue(e.getMessage().contains("static[0 endpoints]"), e.getMessage());
  }

  @Test
  void aRefusedConnectionNamesServiceAndEndpoint() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Mesh broken =
        Mesh.builder().service("gone", s -> s.endpoints("127.0.0.1:" + closedPort)).build()) {
      MeshException.EndpointFailed e =
          assertThrows(
              MeshException.EndpointFailed.class,
              () -> get(MeshOkHttp.of(broken).client(), "http://gone/"));
      assertTrue(
          e.getMessage().startsWith("service 'gone' endpoint 127.0.0.1:" + closedPort + ": "),
          e.getMessage());
      assertTrue(e.getCause() instanceof java.net.ConnectException, String.valueOf(e.getCause()));
    }
  }

  @Test
  void closingTheMeshFailsLaterCallsAndEmptiesThePool() throws IOException {
    OkHttpClient client = http.client();
    get(client, "http://mathoid/render");
    assertEquals(1, http.connectionPool().connectionCount());
    mesh.close();
    assertEquals(0, http.connectionPool().connectionCount());
    MeshException.Closed e =
        assertThrows(MeshException.Closed.class, () -> get(client, "http://mathoid/render"));
    assertEquals("service 'mathoid': the mesh is closed", e.getMessage());
  }

  static String get(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      assertEquals(200, response.code(), url);
      return response.body().string();
    }
  }

  /** Counts connections opened by the clients it is installed in. */
  static final class ConnectionCounter extends EventListener {
    final AtomicInteger started = new AtomicInteger();

    @Override
    public void connectStart(Call call, java.net.InetSocketAddress address, java.net.Proxy proxy) {
      started.incrementAndGet();
    }
  }
}

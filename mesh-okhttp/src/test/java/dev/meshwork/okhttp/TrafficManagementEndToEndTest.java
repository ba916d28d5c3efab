package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.Route.Mirror;
import dev.meshwork.core.routing.RouteTable;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Mirroring and fault injection through the OkHttp transport against real MockWebServer backends:
 * the primary (labelled v1) answers at once; the mirror (v2) holds every copy until the test
 * releases it and then fails it, so the tests show without timing that the caller neither waits for
 * the mirror nor sees its failure.
 */
class TrafficManagementEndToEndTest {
  private final MockWebServer primary = new MockWebServer();
  private final MockWebServer mirror = new MockWebServer();
  private final List<RecordedRequest> mirrored = new CopyOnWriteArrayList<>();
  private final CountDownLatch releaseMirror = new CountDownLatch(1);
  private Mesh mesh;

  @BeforeEach
  void start() throws Exception {
    primary.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).body("primary").build();
          }
        });
    mirror.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            mirrored.add(request);
            releaseMirror.await(30, TimeUnit.SECONDS);
            return new MockResponse.Builder().code(500).body("mirror broke").build();
          }
        });
    primary.start(InetAddress.getLoopbackAddress(), 0);
    mirror.start(InetAddress.getLoopbackAddress(), 0);
  }

  @AfterEach
  void stop() {
    releaseMirror.countDown();
    if (mesh != null) {
      mesh.close();
    }
    primary.close();
    mirror.close();
  }

  private OkHttpClient client(Route... routes) {
    RouteTable.Builder table =
        RouteTable.builder().subset("v1", "version", "v1").subset("v2", "version", "v2");
    for (Route route : routes) {
      table.route(route);
    }
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.endpoints(
                            Endpoint.builder("127.0.0.1", primary.getPort())
                                .label("version", "v1")
                                .build(),
                            Endpoint.builder("127.0.0.1", mirror.getPort())
                                .label("version", "v2")
                                .build())
                        .routes(table.build()))
            .build();
    return MeshOkHttp.of(mesh).client();
  }

  @Test
  void mirrorCopiesNeverDelayOrFailTheCallerAndStayWithinTheirBound() throws Exception {
    OkHttpClient client =
        client(
            Route.builder("shadow").to("v1").mirror("v2", 100, 2, Duration.ofSeconds(30)).build());
    RequestBody body = RequestBody.create("{\"tex\":\"x^2\"}", MediaType.get("application/json"));
    for (int i = 0; i < 10; i++) {
      // Each call returns while the mirror still holds its copies: the caller never waits for them.
      try (Response response =
          client
              .newCall(new Request.Builder().url("http://mathoid/render?i=" + i).post(body).build())
              .execute()) {
        assertEquals(200, response.code());
        assertEquals("primary", response.body().string());
      }
    }
    Backends.await(
        () -> mirrored.size() == 2,
        Duration.ofSeconds(10),
        () -> mirrored.size() + " copies arrived");
    assertEquals(10, primary.getRequestCount());
    assertEquals(
        2, mirrored.size(), "2 copies in flight at most; the other 8 were dropped, not queued");

    RecordedRequest copy = mirrored.get(0);
    assertEquals("POST", copy.getMethod());
    assertEquals("/render", copy.getUrl().encodedPath());
    assertEquals("true", copy.getHeaders().get(Mirror.HEADER));
    assertEquals("mathoid", copy.getHeaders().get("Host"), "the copy keeps the logical authority");
    assertEquals("{\"tex\":\"x^2\"}", copy.getBody().utf8());

    // Once the held copies fail, their permits come back and new calls are mirrored again.
    releaseMirror.countDown();
    Backends.await(
        () -> {
          try {
            Backends.statusOf(client, new Request.Builder().url("http://mathoid/again").build());
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          return mirrored.size() > 2;
        },
        Duration.ofSeconds(10),
        () -> "no copy after the mirror recovered: " + mirrored.size());
  }

  @Test
  void unmatchedCallsAreNotMirrored() throws Exception {
    OkHttpClient client =
        client(
            Route.builder("shadow").pathPrefix("/render").to("v1").mirror("v2", 100).build(),
            Route.builder("rest").to("v1").build());
    for (int i = 0; i < 20; i++) {
      assertEquals(
          200,
          Backends.statusOf(client, new Request.Builder().url("http://mathoid/health").build()));
    }
    // A matched call after them is mirrored; if unmatched ones had been, they would have arrived
    // first.
    assertEquals(
        200, Backends.statusOf(client, new Request.Builder().url("http://mathoid/render").build()));
    Backends.await(
        () -> !mirrored.isEmpty(), Duration.ofSeconds(10), () -> "the matched call's copy");
    assertEquals(1, mirrored.size());
    assertEquals("/render", mirrored.get(0).getUrl().encodedPath());
  }

  @Test
  void injectedAbortAnswersWithoutReachingABackend() throws Exception {
    OkHttpClient client =
        client(Route.builder("chaos").to("v1").fault(f -> f.abortStatus(503, 100)).build());
    try (Response response =
        client.newCall(new Request.Builder().url("http://mathoid/render").build()).execute()) {
      assertEquals(503, response.code());
      assertEquals("abort", response.header("x-mesh-fault"));
      assertTrue(response.body().string().contains("fault injected by route 'chaos'"));
    }
    assertEquals(0, primary.getRequestCount() + mirror.getRequestCount());
  }
}

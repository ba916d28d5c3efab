package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.net.InetAddress;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wrapped client calls hosts that are not mesh services as it did before it was wrapped (its own
 * connection retry and pool), while its calls to mesh services keep the mesh's pool and no OkHttp
 * retry. Real MockWebServers whose first connection closes after one response.
 */
class WrappedPassThroughTest {
  private final Closer closer = new Closer();
  private MockWebServer outside;
  private MockWebServer backend;
  private MeshOkHttp http;

  @BeforeEach
  void start() throws IOException {
    outside = closer.add(new MockWebServer());
    outside.start(InetAddress.getLoopbackAddress(), 0);
    backend = closer.add(new MockWebServer());
    backend.start(InetAddress.getLoopbackAddress(), 0);
    // The first connection closes after one response: a second call that reuses it from the pool
    // fails, as with a server whose keep-alive ended, and only OkHttp's connection retry recovers.
    for (MockWebServer server : new MockWebServer[] {outside, backend}) {
      server.enqueue(
          new MockResponse.Builder()
              .body("first")
              .onResponseEnd(new SocketEffect.CloseSocket())
              .build());
      server.enqueue(new MockResponse.Builder().body("second connection").build());
    }
    Mesh mesh =
        closer.add(
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(backend.getHostName() + ":" + backend.getPort())
                            .retries(RetryPolicy.disabled()))
                .build());
    http = MeshOkHttp.of(mesh);
  }

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  private static String get(OkHttpClient client, String url) throws IOException {
    try (Response response = client.newCall(new Request.Builder().url(url).build()).execute()) {
      return response.body().string();
    }
  }

  @Test
  void anOutsideCallRetriesADroppedConnectionWhenTheWrappedClientDid() throws IOException {
    ConnectionPool own = new ConnectionPool();
    OkHttpClient wrapped =
        http.wrap(new OkHttpClient.Builder().connectionPool(own).build()); // retry on by default
    assertEquals("first", get(wrapped, outside.url("/weather").toString()));
    assertEquals(
        1,
        own.connectionCount(),
        "the outside call pooled its connection in the client's own pool");
    assertEquals(0, http.connectionPool().connectionCount(), "not in the mesh's pool");

    assertEquals(
        "second connection",
        get(wrapped, outside.url("/weather").toString()),
        "OkHttp retried the stale pooled connection's failure on a new one");
  }

  @Test
  void anOutsideCallFailsOnADroppedConnectionWhenTheWrappedClientDidNotRetry() throws IOException {
    OkHttpClient wrapped =
        http.wrap(new OkHttpClient.Builder().retryOnConnectionFailure(false).build());
    assertEquals("first", get(wrapped, outside.url("/weather").toString()));

    assertThrows(IOException.class, () -> get(wrapped, outside.url("/weather").toString()));
  }

  @Test
  void rewrappingKeepsTheOriginalClientsSettingsForOutsideCalls() throws IOException {
    OkHttpClient once = http.wrap(new OkHttpClient());
    OkHttpClient twice = http.wrap(once.newBuilder().build());

    assertEquals("first", get(twice, outside.url("/weather").toString()));
    assertEquals("second connection", get(twice, outside.url("/weather").toString()));
  }

  @Test
  void meshCallsOfTheSameClientKeepTheMeshPoolAndDispatcherAndNoSilentRetry() throws IOException {
    OkHttpClient wrapped = http.wrap(new OkHttpClient());

    assertSame(http.connectionPool(), wrapped.connectionPool());
    assertSame(http.dispatcher(), wrapped.dispatcher());
    assertFalse(wrapped.retryOnConnectionFailure(), "the mesh owns retries");
    assertEquals("first", get(wrapped, "http://mathoid/render"));
    assertEquals(1, http.connectionPool().connectionCount());

    // The service allows no retry: the stale connection fails the call, OkHttp does not try again.
    assertThrows(MeshException.EndpointFailed.class, () -> get(wrapped, "http://mathoid/render"));
    assertEquals(1, backend.getRequestCount(), "no second connection was made");
  }
}

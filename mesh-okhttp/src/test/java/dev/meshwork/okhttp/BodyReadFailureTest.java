package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A backend that sends its headers and part of the body, then stalls: the failure surfaces in the
 * application's own read, after the mesh returned the response, and must still name the service and
 * the endpoint (a real JDK HTTP server on loopback).
 */
class BodyReadFailureTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private String address;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, 100);
          OutputStream body = exchange.getResponseBody();
          body.write("ten bytes!".getBytes(StandardCharsets.US_ASCII));
          body.flush();
          try {
            release.await(); // the other 90 bytes never come while the test runs
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    server.start();
    address = "127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  @Test
  void aBodyThatStallsAfterTheHeadersFailsNamingTheServiceAndTheEndpoint() throws IOException {
    try (Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        Backends.plain(s, address)
                            .timeout(Duration.ofMillis(300))
                            .retries(RetryPolicy.disabled()))
                .build();
        Response response =
            MeshOkHttp.of(mesh)
                .client()
                .newCall(new Request.Builder().url("http://mathoid/render").build())
                .execute()) {
      assertEquals(200, response.code());
      MeshException.EndpointFailed e =
          assertThrows(MeshException.EndpointFailed.class, () -> response.body().string());
      assertTrue(
          e.getMessage()
              .startsWith(
                  "service 'mathoid' endpoint " + address + ": reading the response body: "),
          e.getMessage());
      assertTrue(e.getCause() instanceof InterruptedIOException, String.valueOf(e.getCause()));
    }
  }
}

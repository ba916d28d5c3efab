package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The transport's watchdog lets go of every socket OkHttp closes, whichever way it ends. */
class TransportSocketsTest {
  private Mesh mesh;
  private SharedTransport transport;

  @BeforeEach
  void start() {
    mesh = Mesh.builder().build();
    transport = MeshTransports.attach(mesh, SharedTransport.class, SharedTransport::new);
  }

  @AfterEach
  void stop() {
    mesh.close();
  }

  @Test
  void pooledConnectionsAreWatchedUntilThePoolClosesThem() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.start(InetAddress.getLoopbackAddress(), 0);
      for (int i = 0; i < 3; i++) {
        server.enqueue(new MockResponse.Builder().body("ok").build());
      }
      OkHttpClient client = transport.baseClient();
      for (int i = 0; i < 3; i++) {
        try (Response response =
            client.newCall(new Request.Builder().url(server.url("/")).build()).execute()) {
          assertEquals("ok", response.body().string());
        }
      }
      assertEquals(1, transport.openSockets(), "three sequential calls, one pooled connection");

      transport.connectionPool().evictAll();

      assertEquals(0, transport.openSockets());
    }
  }

  @Test
  void aSocketWhoseHandshakeFailedIsNotWatched() throws Exception {
    try (ServerSocket plaintext = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      // A server that answers the ClientHello in plain HTTP: the handshake fails at once, and only
      // OkHttp's own close can let the watchdog forget the socket.
      CompletableFuture<Socket> answered =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  Socket socket = plaintext.accept();
                  socket
                      .getOutputStream()
                      .write(
                          "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                  return socket;
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              });
      OkHttpClient client =
          transport.baseClient().newBuilder().readTimeout(Duration.ofSeconds(60)).build();
      Request request =
          new Request.Builder().url("https://127.0.0.1:" + plaintext.getLocalPort() + "/").build();

      IOException failure =
          assertTimeoutPreemptively(
              Duration.ofSeconds(30),
              () -> assertThrows(IOException.class, () -> client.newCall(request).execute()));

      assertInstanceOf(
          SSLException.class, failure, "the handshake failed on the reply, not by a timeout");
      assertEquals(0, transport.openSockets());
      answered.join().close();
    }
  }
}

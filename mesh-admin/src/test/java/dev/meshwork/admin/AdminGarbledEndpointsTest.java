package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.okhttp.Backends;
import dev.meshwork.okhttp.Closer;
import dev.meshwork.okhttp.MeshOkHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Endpoints that answer a ~200 KB garbled status line, which OkHttp quotes whole in its "Unexpected
 * status line" error. Such text once reached /decisions, whose redaction took cubic time on it,
 * until /decisions and then /ready stopped answering. The timeout is a hang guard.
 */
class AdminGarbledEndpointsTest {
  private static final Request GET = new Request.Builder().url("http://mathoid/render").build();
  private static final String GARBLE = "token.".repeat(33_000);

  private final Closer closer = new Closer();

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  /** Answers every request with {@link #GARBLE} as its status line, then closes. */
  private static final class GarbledPeer implements AutoCloseable {
    private final ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());

    GarbledPeer() throws IOException {
      Thread acceptor = new Thread(this::serve, "garbled-peer-" + server.getLocalPort());
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket socket = server.accept()) {
          InputStream in = socket.getInputStream();
          int matched = 0;
          while (matched < 4) { // the end of the request head
            int b = in.read();
            if (b < 0) {
              break;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
          }
          OutputStream out = socket.getOutputStream();
          out.write((GARBLE + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
        } catch (IOException e) {
          // closed by the test, or the client gave up
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  @Test
  void garbledAnswersKeepAFewHundredCharactersAndTheAdminEndpointAnswering() throws Exception {
    Backends good = closer.add(Backends.answering(3, 200));
    List<String> addresses =
        new ArrayList<>(List.of(good.address(0), good.address(1), good.address(2)));
    for (int i = 0; i < 2; i++) {
      addresses.add(closer.add(new GarbledPeer()).address());
    }
    // No retry budget: each garbled attempt ends its call with a refusal that quotes the failure.
    Mesh mesh =
        closer.add(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service(
                        "mathoid",
                        s ->
                            Backends.plain(s, addresses.toArray(String[]::new))
                                .retryBudget(
                                    RetryBudget.builder().ratio(0).minRetriesPerSecond(0).build()))
                    .build(),
                AdminEndpointTest.ANY_PORT));
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    int failed = 0;
    for (int i = 0; i < 50; i++) {
      try {
        Backends.statusOf(client, GET);
      } catch (IOException expected) {
        failed++;
      }
    }
    assertEquals(20, failed, "round robin: 2 of 5 endpoints garbled");

    AdminPages pages = new AdminPages(mesh);
    JsonNode decisions =
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pages.json("/decisions"));
    int quoted = 0;
    for (JsonNode decision : decisions.get("decisions")) {
      String detail = decision.get("detail").asText();
      if (detail.contains("Unexpected status line")) {
        quoted++;
        assertTrue(
            detail.length() < 500,
            () -> detail.length() + " characters: " + detail.substring(0, 500));
        assertTrue(detail.matches("(?s).*\\.\\.\\. \\(cut from \\d+ characters\\)"), detail);
      }
    }
    assertEquals(20, quoted, decisions::toString);
    assertEquals(
        200, assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pages.get("/ready")).status());
  }
}

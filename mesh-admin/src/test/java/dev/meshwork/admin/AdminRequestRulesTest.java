package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the admin endpoint answers to, over raw sockets so the test chooses every header: only a
 * Host naming the endpoint (DNS rebinding), only GET and HEAD, no body ever read; and /config
 * showing the port bound.
 */
class AdminRequestRulesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static Mesh mesh(AdminOptions.Builder admin) {
    return MeshAdmins.started(
        Mesh.builder()
            .decisions(256)
            .service("mathoid", s -> s.endpoints("127.0.0.1:9002"))
            .build(),
        admin.port(0).build());
  }

  /** One answer: the status line, the head and the body. */
  private record Answer(String statusLine, String head, String body) {
    int status() {
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }

  /**
   * Sends {@code head} (request line and headers, without the blank line) and reads the answer to
   * the end.
   */
  private static Answer send(Mesh mesh, String head) throws IOException {
    InetSocketAddress admin = MeshAdmins.of(mesh).address();
    try (Socket socket = new Socket(admin.getAddress(), admin.getPort())) {
      socket.setSoTimeout(30_000); // a hang guard only: an answer is due at once
      OutputStream out = socket.getOutputStream();
      out.write((head + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** Reads one answer: the head up to the blank line, then Content-length bytes of body. */
  private static Answer read(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed after " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase().startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
    return new Answer(head.substring(0, head.indexOf("\r\n")), head.toString(), body);
  }

  @Test
  void configShowsThePortBoundAndTheOneConfigured() throws Exception {
    try (Mesh mesh = mesh(AdminOptions.builder())) {
      int bound = MeshAdmins.of(mesh).address().getPort();
      Answer answer = send(mesh, "GET /config HTTP/1.1\r\nHost: 127.0.0.1:" + bound);
      assertEquals(200, answer.status(), answer.body());
      JsonNode admin = MAPPER.readTree(answer.body()).get("mesh").get("admin");
      assertTrue(bound > 0);
      assertEquals(bound, admin.get("port").asInt());
      assertEquals(0, admin.get("configuredPort").asInt());
    }
  }

  @Test
  void aHostThatDoesNotNameTheEndpointIsRefusedWith421() throws Exception {
    try (Mesh mesh = mesh(AdminOptions.builder())) {
      int port = MeshAdmins.of(mesh).address().getPort();
      for (String path : List.of("/config", "/clusters", "/decisions", "/ready", "/")) {
        for (String host :
            List.of(
                "rebound.example",
                "rebound.example:" + port,
                "127.0.0.1.rebound.example",
                "localhost.rebound.example:" + port,
                "127.0.0.2:" + port,
                "[::1]:" + port,
                "127.0.0.1:" + port + "x",
                "127.0.0.1:" + port + ":1",
                "")) {
          Answer answer = send(mesh, "GET " + path + " HTTP/1.1\r\nHost: " + host);
          assertEquals(421, answer.status(), path + " for Host '" + host + "': " + answer.body());
          assertFalse(answer.body().contains("mathoid"), answer.body());
          assertEquals(421, MAPPER.readTree(answer.body()).get("status").asInt());
        }
      }
      assertEquals(421, send(mesh, "GET /config HTTP/1.0").status(), "no Host at all");
      assertTrue(
          send(mesh, "GET /config HTTP/1.1\r\nHost: rebound.example")
              .body()
              .contains("'rebound.example'"));
    }
  }

  @Test
  void localhostTheBoundAddressAndAllowedNamesAreServedWithOrWithoutPort() throws Exception {
    try (Mesh mesh = mesh(AdminOptions.builder().allowedHosts("Mesh-Admin.internal"))) {
      int port = MeshAdmins.of(mesh).address().getPort();
      for (String host :
          List.of(
              "127.0.0.1",
              "127.0.0.1:" + port,
              "localhost",
              "LOCALHOST:" + port,
              "localhost.",
              "mesh-admin.internal",
              "MESH-ADMIN.internal:9901",
              "localhost:8080")) {
        Answer answer = send(mesh, "GET /clusters HTTP/1.1\r\nHost: " + host);
        assertEquals(200, answer.status(), "Host '" + host + "': " + answer.body());
      }
      JsonNode admin =
          MAPPER
              .readTree(send(mesh, "GET /config HTTP/1.1\r\nHost: localhost").body())
              .get("mesh")
              .get("admin");
      assertEquals("[\"mesh-admin.internal\"]", admin.get("allowedHosts").toString());
    }
  }

  /**
   * The body is announced but never sent: the answer can only come before any of it was read.
   * (Reading a 300 MB body once took an admin thread to OutOfMemoryError.)
   */
  @Test
  void otherMethodsGet405BeforeAnyBodyIsRead() throws Exception {
    try (Mesh mesh = mesh(AdminOptions.builder())) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
        Answer answer =
            send(
                mesh,
                method + " /clusters HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 314572800");
        assertEquals(405, answer.status(), method);
        assertTrue(answer.head().contains("Allow: GET, HEAD"), answer.head());
        assertTrue(answer.body().contains("is not allowed"), answer.body());
      }
      Answer get =
          send(mesh, "GET /clusters HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 314572800");
      assertEquals(200, get.status(), "a GET's body is ignored, not read");
      assertEquals(200, send(mesh, "GET /ready HTTP/1.1\r\nHost: 127.0.0.1").status());
    }
  }
}

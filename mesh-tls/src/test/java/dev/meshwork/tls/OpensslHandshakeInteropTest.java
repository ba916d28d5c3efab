package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.LoopbackTlsServer.Handshake;
import dev.meshwork.tls.internal.Pem;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS 1.3 with the real OpenSSL on both sides: {@code openssl s_server -Verify} accepts a
 * mesh client, and {@code openssl s_client} with a mesh-issued certificate is accepted by a mesh
 * server (and refused without one). OpenSSL checks validity against the machine's clock, so this
 * test uses the system clock. Skipped when openssl is not installed.
 */
class OpensslHandshakeInteropTest {
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  static String openssl;

  @TempDir Path dir;
  BuiltInCa ca;
  BuiltInCaSource serverSource;
  BuiltInCaSource clientSource;

  @BeforeAll
  static void findOpenssl() {
    for (String candidate : List.of("/usr/bin/openssl", "/usr/local/bin/openssl")) {
      if (Files.isExecutable(Path.of(candidate))) {
        openssl = candidate;
      }
    }
    assumeTrue(openssl != null, "openssl is not installed");
  }

  @BeforeEach
  void issueAndWrite() throws IOException {
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(MeshClock.system()).build();
    ManualScheduler idle = new ManualScheduler(new ManualClock(java.time.Instant.EPOCH));
    serverSource = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).scheduler(idle).build();
    clientSource = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).scheduler(idle).build();
    write("ca.pem", Pem.certificates(List.of(ca.rootCertificate())));
    write("server.pem", Pem.certificates(serverSource.current().chain()));
    write("server-key.pem", Pem.privateKey(serverSource.current().privateKey()));
    write("client.pem", Pem.certificates(clientSource.current().chain()));
    write("client-key.pem", Pem.privateKey(clientSource.current().privateKey()));
  }

  private void write(String name, String pem) throws IOException {
    Files.writeString(dir.resolve(name), pem, StandardCharsets.US_ASCII);
  }

  private SpiffeVerifier accepting(SpiffeId id) {
    return SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(id).build();
  }

  @Test
  void opensslServerRequiringClientCertificatesAcceptsAMeshClient() throws Exception {
    int port = freePort();
    Process server =
        start(
            openssl,
            "s_server",
            "-Verify",
            "1",
            "-verify_return_error",
            "-CAfile",
            "ca.pem",
            "-cert",
            "server.pem",
            "-key",
            "server-key.pem",
            "-accept",
            Integer.toString(port),
            "-tls1_3",
            "-www");
    Output output = Output.of(server);
    try {
      awaitListening(server, port, output);
      SpiffeVerifier verifier = accepting(MATHOID);
      SSLContext client = MeshSslContexts.client(clientSource, () -> verifier);
      try (SSLSocket socket =
          (SSLSocket)
              client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        String page = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(page.startsWith("HTTP/1.0 200 ok"), page);
        assertTrue(page.contains("TLSv1.3"), page);
        assertTrue(page.contains("Client certificate"), page);
        assertEquals(
            MATHOID,
            SpiffeVerifier.identityOf(
                (java.security.cert.X509Certificate) socket.getSession().getPeerCertificates()[0]));
      }

      // The same server refuses a client without a certificate.
      SSLContext anonymous = SSLContext.getInstance("TLSv1.3");
      anonymous.init(null, new TrustManager[] {SpiffeTrustManager.of(verifier)}, null);
      try (SSLSocket socket =
          (SSLSocket)
              anonymous.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
        socket.setSoTimeout(10_000);
        assertThrows(
            IOException.class,
            () -> {
              socket
                  .getOutputStream()
                  .write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
              socket.getOutputStream().flush();
              socket.getInputStream().readAllBytes();
            });
      }
    } finally {
      server.destroyForcibly();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void opensslClientWithAMeshCertificateIsAcceptedByAMeshServer() throws Exception {
    PeerAuthorizer authorizer = PeerAuthorizer.builder().allow(RESTBASE).build();
    SpiffeVerifier verifier = accepting(RESTBASE);
    try (LoopbackTlsServer server =
        new LoopbackTlsServer(MeshSslContexts.server(serverSource, () -> verifier))) {
      Result client =
          run(
              "ping\nbye\n",
              openssl,
              "s_client",
              "-connect",
              "127.0.0.1:" + server.port(),
              "-cert",
              "client.pem",
              "-key",
              "client-key.pem",
              "-CAfile",
              "ca.pem",
              "-tls1_3",
              "-verify_return_error",
              "-ign_eof");
      Handshake accepted = server.nextHandshake();
      assertEquals(RESTBASE, authorizer.authorize(accepted.session()));
      assertEquals("TLSv1.3", accepted.session().getProtocol());
      assertEquals(0, client.exitCode(), client.output());
      assertTrue(client.output().contains("Verify return code: 0 (ok)"), client.output());
      assertTrue(client.output().contains("echo ping"), client.output());
    }
  }

  @Test
  void opensslClientWithoutACertificateIsRefusedByAMeshServer() throws Exception {
    SpiffeVerifier verifier = accepting(RESTBASE);
    try (LoopbackTlsServer server =
        new LoopbackTlsServer(MeshSslContexts.server(serverSource, () -> verifier))) {
      Result client =
          run(
              "ping\n",
              openssl,
              "s_client",
              "-connect",
              "127.0.0.1:" + server.port(),
              "-CAfile",
              "ca.pem",
              "-tls1_3",
              "-ign_eof");
      Handshake refused = server.nextHandshake();
      assertNotNull(refused.failure(), "the mesh server accepted a client without certificate");
      assertFalse(client.output().contains("echo ping"), client.output());
    }
  }

  private record Result(int exitCode, String output) {}

  /** Collects a process's output on a thread of its own, so the process never blocks on it. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Thread reader;

    static Output of(Process process) {
      Output output = new Output();
      Thread reader =
          new Thread(
              () -> {
                try (InputStream in = process.getInputStream()) {
                  in.transferTo(output.stream());
                } catch (IOException e) {
                  // the process ended
                }
              },
              "openssl-output");
      reader.setDaemon(true);
      reader.start();
      output.reader = reader;
      return output;
    }

    /**
     * Waits until everything the ended process wrote has been read; without it the tail can be
     * missing.
     */
    Output complete() throws InterruptedException {
      reader.join(TimeUnit.SECONDS.toMillis(10));
      return this;
    }

    private synchronized java.io.OutputStream stream() {
      return new java.io.OutputStream() {
        @Override
        public void write(int b) {
          synchronized (Output.this) {
            bytes.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          synchronized (Output.this) {
            bytes.write(b, off, len);
          }
        }
      };
    }

    @Override
    public synchronized String toString() {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }

  private Process start(String... command) throws IOException {
    return new ProcessBuilder(new ArrayList<>(List.of(command)))
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
  }

  private Result run(String input, String... command) throws Exception {
    Process process = start(command);
    try {
      Output output = Output.of(process);
      process.getOutputStream().write(input.getBytes(StandardCharsets.US_ASCII));
      process.getOutputStream().close();
      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl did not finish: " + output);
      return new Result(process.exitValue(), output.complete().toString());
    } finally {
      process.destroyForcibly();
    }
  }

  /** Polls a TCP connect until the server listens; fails early if the process died. */
  private static void awaitListening(Process server, int port, Output output) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
        return;
      } catch (ConnectException notYet) {
        // Waits for the process to exit, bounded: not a blind sleep, a failure check.
        if (server.waitFor(50, TimeUnit.MILLISECONDS)) {
          throw new AssertionError(
              "openssl s_server exited with " + server.exitValue() + ": " + output);
        }
      }
    }
    throw new AssertionError("openssl s_server did not listen on " + port + " in 15 s: " + output);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

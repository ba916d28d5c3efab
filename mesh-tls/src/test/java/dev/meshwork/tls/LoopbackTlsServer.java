package dev.meshwork.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS echo server on 127.0.0.1 (it hangs up after echoing "bye") built from a server {@link
 * SSLContext}'s server socket factory, as an application would. Each accepted connection's
 * handshake outcome is queued for the test, which waits on the queue with a bounded timeout instead
 * of sleeping.
 */
final class LoopbackTlsServer implements AutoCloseable {
  /** One accepted connection: its session after the handshake, or why the handshake failed. */
  record Handshake(SSLSession session, Throwable failure) {
    X509Certificate peerLeaf() throws IOException {
      if (failure != null) {
        throw new AssertionError("the server's handshake failed", failure);
      }
      return (X509Certificate) session.getPeerCertificates()[0];
    }
  }

  final SSLServerSocket serverSocket;
  private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
  private final ExecutorService threads =
      Executors.newCachedThreadPool(
          runnable -> {
            Thread thread = new Thread(runnable, "loopback-tls-server");
            thread.setDaemon(true);
            return thread;
          });

  LoopbackTlsServer(SSLContext context) throws IOException {
    serverSocket =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  int port() {
    return serverSocket.getLocalPort();
  }

  /** The next connection's handshake outcome, waiting at most 10 seconds. */
  Handshake nextHandshake() throws InterruptedException {
    Handshake next = handshakes.poll(10, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no connection reached the server within 10 s");
    }
    return next;
  }

  private void acceptLoop() {
    while (!serverSocket.isClosed()) {
      try {
        SSLSocket socket = (SSLSocket) serverSocket.accept();
        threads.execute(() -> serve(socket));
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        handshakes.add(new Handshake(null, e));
      }
    }
  }

  private void serve(SSLSocket socket) {
    try (socket) {
      socket.setSoTimeout(10_000);
      try {
        socket.startHandshake();
      } catch (IOException e) {
        handshakes.add(new Handshake(null, e));
        return;
      }
      handshakes.add(new Handshake(socket.getSession(), null));
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = socket.getOutputStream();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        out.write(("echo " + line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (line.equals("bye")) {
          return; // closes the connection, for clients that wait for the server to end it
        }
      }
    } catch (IOException e) {
      // The client went away; nothing to report beyond the handshake.
    }
  }

  @Override
  public void close() throws IOException {
    serverSocket.close();
    threads.shutdownNow();
  }
}

package dev.meshwork.okhttp;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A loopback TCP peer that accepts connections, reads what it is sent and never answers: a backend
 * hung mid-request, or a TLS server that stalls before its ServerHello. {@link #heard} opens once
 * the first bytes of a connection have arrived.
 */
final class SilentPeer implements AutoCloseable {
  final CountDownLatch heard = new CountDownLatch(1);
  private final ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  SilentPeer() throws IOException {
    server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptForever, "silent-peer-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptForever() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        accepted.add(socket);
        Thread reader = new Thread(() -> drain(socket), "silent-peer-reader");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException e) {
        return; // closed by the test
      }
    }
  }

  private void drain(Socket socket) {
    byte[] buffer = new byte[4096];
    try (InputStream in = socket.getInputStream()) {
      while (in.read(buffer) > 0) {
        heard.countDown();
      }
    } catch (IOException e) {
      // The client closed its end, or the test closed this peer.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : accepted) {
      socket.close();
    }
  }
}

package dev.meshwork.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The permissive listener under load: it holds no more connections than the backlog allows, and a
 * failing {@code accept()} on the listening channel does not stop it.
 */
class SniffingServerSocketTest {
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final ExecutorService clients = Executors.newCachedThreadPool();

  @AfterEach
  void closeAll() throws Exception {
    clients.shutdownNow();
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void holdsNoMoreConnectionsThanTheBacklog() throws Exception {
    int backlog = 5;
    int connections = 30;
    AtomicInteger accepted = new AtomicInteger();
    Semaphore acceptedPermits = new Semaphore(0);
    SniffingServerSocket server =
        listen(
            backlog,
            listening -> {
              SocketChannel client = listening.accept();
              if (client != null) {
                accepted.incrementAndGet();
                acceptedPermits.release();
              }
              return client;
            });
    for (int i = 0; i < connections; i++) {
      clients.execute(() -> plainClient(server.getLocalPort()));
    }
    assertTrue(
        acceptedPermits.tryAcquire(backlog, 10, TimeUnit.SECONDS),
        "only " + accepted.get() + " accepted in 10 s");
    for (int taken = 1; taken <= connections; taken++) {
      resources.add(server.accept());
      // Taking one frees one place; the listener holds at most backlog beyond those taken.
      assertTrue(
          accepted.get() - taken <= backlog,
          "the listener holds " + (accepted.get() - taken) + " connections; backlog " + backlog);
    }
    assertEquals(connections, accepted.get());
  }

  @Test
  void keepsAcceptingAfterAcceptFails() throws Exception {
    // Simulates EMFILE ("Too many open files"): accept on the listening channel throws while
    // the process is out of descriptors, then works again once some are released.
    AtomicBoolean outOfDescriptors = new AtomicBoolean(true);
    CountDownLatch failedTwice = new CountDownLatch(2);
    SniffingServerSocket server =
        listen(
            50,
            listening -> {
              if (outOfDescriptors.get()) {
                failedTwice.countDown();
                throw new IOException("Too many open files");
              }
              return listening.accept();
            });
    clients.execute(() -> plainClient(server.getLocalPort()));
    assertTrue(failedTwice.await(10, TimeUnit.SECONDS), "the listener retried after a failure");

    outOfDescriptors.set(false);
    assertEquals('G', firstByte(server.accept()), "the client that waited is served");
    clients.execute(() -> plainClient(server.getLocalPort()));
    assertEquals('G', firstByte(server.accept()), "and so is a new one");
  }

  private SniffingServerSocket listen(int backlog, SniffingServerSocket.Acceptor acceptor)
      throws IOException {
    SniffingServerSocket server =
        new SniffingServerSocket(
            (SSLSocketFactory) SSLSocketFactory.getDefault(), Duration.ofSeconds(30), acceptor);
    resources.add(server);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
    server.setSoTimeout(10_000);
    return server;
  }

  /** Connects, sends the first byte of a plaintext request, and waits for the server to hang up. */
  private void plainClient(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.getOutputStream().write('G');
      socket.getOutputStream().flush();
      socket.setSoTimeout(30_000);
      socket.getInputStream().read();
    } catch (IOException e) {
      // the test ended or the server hung up
    }
  }

  private int firstByte(Socket accepted) throws IOException {
    resources.add(accepted);
    accepted.setSoTimeout(10_000);
    InputStream in = accepted.getInputStream();
    return in.read();
  }
}

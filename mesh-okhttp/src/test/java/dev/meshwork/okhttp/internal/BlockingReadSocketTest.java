package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Transport sockets against a real loopback peer that writes only when the test says so. The bounds
 * given to {@code assertTimeoutPreemptively} are liveness limits, many times the timeouts under
 * test, not speed checks: without the watchdog those reads would block forever.
 */
class BlockingReadSocketTest {
  private static final Duration LIVENESS = Duration.ofSeconds(20);

  private final ReadWatchdog watchdog = new ReadWatchdog("test-read-watchdog");
  private final BlockingReadSocketFactory factory = new BlockingReadSocketFactory(watchdog);
  private ServerSocket server;
  private Socket peer;

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
  }

  @AfterEach
  void close() throws IOException {
    if (peer != null) {
      peer.close();
    }
    server.close();
  }

  /** A socket from the factory, connected to the server, with the server's end in {@link #peer}. */
  private Socket connected() throws Exception {
    CompletableFuture<Socket> accepted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return server.accept();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
    Socket socket = factory.createSocket();
    socket.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 5_000);
    peer = accepted.get(10, TimeUnit.SECONDS);
    return socket;
  }

  @Test
  void aLongReadTimeoutIsEnforcedByTheWatchdogNotTheKernel() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(300);
    assertEquals(
        0,
        socket.getSoTimeout(),
        "the kernel is given no timeout, so the socket stays in blocking mode");

    long start = System.nanoTime();
    SocketTimeoutException timeout =
        assertTimeoutPreemptively(
            LIVENESS,
            () ->
                assertThrows(
                    SocketTimeoutException.class,
                    () -> socket.getInputStream().read(new byte[16])));
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertTrue(
        waitedMillis >= 300,
        "the watchdog must not end a read before its deadline; it waited " + waitedMillis + " ms");
    // No host name: the mesh would read a host like "kafka-connect" as a connect timeout.
    assertEquals("Read timed out: no data for 300 ms", timeout.getMessage());
    assertTrue(socket.isClosed(), "a timed-out read closes the socket, as Okio's watchdog does");
    assertEquals(0, watchdog.watchedCount(), "a closed socket is no longer watched");
  }

  @Test
  void aSingleByteReadIsWatchedToo() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(200);
    assertTimeoutPreemptively(
        LIVENESS,
        () -> assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read()));
  }

  @Test
  void aShortTimeoutStaysWithTheKernelAndTheSocketSurvivesIt() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(5); // what OkHttp's health check and the JDK's TLS close do

    assertEquals(5, socket.getSoTimeout());
    assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
    assertFalse(socket.isClosed(), "a kernel timeout leaves the socket usable");

    peer.getOutputStream().write(42);
    socket.setSoTimeout(0);
    assertEquals(42, socket.getInputStream().read());
  }

  @Test
  void theWatchdogNeverClosesASocketThatIsNotReading() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(300);
    long anHourLater = System.nanoTime() + TimeUnit.HOURS.toNanos(1);

    watchdog.sweep(anHourLater);
    assertFalse(socket.isClosed(), "an idle pooled connection is not a stalled read");

    peer.getOutputStream().write(7);
    assertEquals(7, socket.getInputStream().read());
    watchdog.sweep(anHourLater);
    assertFalse(socket.isClosed(), "a read that returned leaves no deadline behind");
  }

  @Test
  void dataArrivingBeforeTheDeadlineIsRead() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(10_000);
    peer.getOutputStream().write(new byte[] {1, 2, 3});

    byte[] buffer = new byte[3];
    int read =
        assertTimeoutPreemptively(LIVENESS, () -> socket.getInputStream().readNBytes(buffer, 0, 3));

    assertEquals(3, read);
    assertArrayEquals(new byte[] {1, 2, 3}, buffer);
  }

  @Test
  void aReadThatReturnedBeforeTheSweepIsNotBlamedForTheNextOne() throws Exception {
    Socket socket = connected();
    socket.setSoTimeout(300);
    peer.getOutputStream().write(new byte[] {1, 2});
    assertEquals(1, socket.getInputStream().read());

    // A sweep long after that read: its deadline is gone, so nothing is overdue.
    watchdog.sweep(System.nanoTime() + TimeUnit.HOURS.toNanos(1));

    assertFalse(socket.isClosed());
    assertEquals(2, socket.getInputStream().read());
  }

  @Test
  void connectedSocketsAreWatchedUntilClosed() throws Exception {
    Socket socket = connected();
    Socket second = factory.createSocket(server.getInetAddress(), server.getLocalPort());
    assertTrue(second.isConnected());
    assertEquals(2, watchdog.watchedCount());

    socket.close();
    second.close();

    assertEquals(0, watchdog.watchedCount());
  }

  @Test
  void aNegativeTimeoutIsRefusedWithTheValue() throws Exception {
    Socket socket = connected();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> socket.setSoTimeout(-5));
    assertTrue(e.getMessage().contains("was -5"), e.getMessage());
  }
}

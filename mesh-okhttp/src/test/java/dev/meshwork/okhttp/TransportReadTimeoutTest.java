package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's sockets leave long read timeouts to a watchdog instead of the kernel (see {@code
 * BlockingReadSocket}); these calls against a real peer that never answers show that every way a
 * read can end still works. The {@code assertTimeoutPreemptively} bounds are liveness limits, many
 * times the timeouts under test: had a read lost its bound, it would block forever.
 */
class TransportReadTimeoutTest {
  private static final Duration LIVENESS = Duration.ofSeconds(30);

  private final Closer closer = new Closer();
  private final Mesh mesh = closer.add(Mesh.builder().build());
  private final MeshOkHttp http = MeshOkHttp.of(mesh);

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  /**
   * A client of the transport; its calls to hosts that are not services use the transport's sockets
   * too.
   */
  private OkHttpClient client(Duration readTimeout) {
    return http.client().newBuilder().readTimeout(readTimeout).build();
  }

  /** How a call to a silent peer over {@code scheme} fails, with a 300 ms read timeout. */
  private IOException failureCalling(String scheme) throws IOException {
    SilentPeer peer = closer.add(new SilentPeer());
    Request request =
        new Request.Builder().url(scheme + "://127.0.0.1:" + peer.port() + "/").build();
    return assertTimeoutPreemptively(
        LIVENESS,
        () ->
            assertThrows(
                IOException.class,
                () -> client(Duration.ofMillis(300)).newCall(request).execute()));
  }

  private static Throwable timeoutIn(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return t;
      }
    }
    throw new AssertionError("no SocketTimeoutException in the causes of " + failure, failure);
  }

  @Test
  void aTlsHandshakeThatStallsStillTimesOut() throws Exception {
    // OkHttp bounds the handshake only by SO_TIMEOUT, which the transport does not give the
    // kernel: only the transport's watchdog can end this read.
    Throwable timeout = timeoutIn(failureCalling("https"));
    assertEquals(
        "Read timed out: no data for 300 ms", timeout.getMessage(), "the watchdog's timeout");
  }

  @Test
  void aResponseThatNeverComesTimesOutOverPlainHttp() throws Exception {
    timeoutIn(failureCalling("http"));
  }

  @Test
  void cancellingACallEndsItsBlockedRead() throws Exception {
    SilentPeer peer = closer.add(new SilentPeer());
    Request request = new Request.Builder().url("http://127.0.0.1:" + peer.port() + "/").build();
    // A watched read timeout far beyond the test's bound: only cancel() can end the read in time.
    Call call = client(Duration.ofSeconds(60)).newCall(request);
    CompletableFuture<IOException> failed = AsyncFailure.of(call);
    assertTrue(peer.heard.await(10, TimeUnit.SECONDS), "the request reached the peer");

    call.cancel();

    IOException failure = failed.get(LIVENESS.toSeconds(), TimeUnit.SECONDS);
    // The blocked read fails with "Socket closed" when cancel() closes the socket under it.
    for (Throwable t = failure; t != null; t = t.getCause()) {
      assertFalse(
          t instanceof SocketTimeoutException, "ended by a timeout, not the cancel: " + failure);
    }
    assertTrue(call.isCanceled());
  }

  @Test
  void wrapGivesTheTransportsSocketsUnlessTheApplicationBroughtItsOwn() {
    SocketFactory transports = http.client().socketFactory();
    assertNotSame(SocketFactory.getDefault(), transports);
    assertSame(
        transports, http.wrap(new OkHttpClient()).socketFactory(), "one factory, so one pool key");
    try (Mesh other = Mesh.builder().build()) {
      OkHttpClient othersClient = MeshOkHttp.of(other).client();
      assertSame(
          transports,
          http.wrap(othersClient).socketFactory(),
          "another mesh's transport sockets are replaced");
    }

    SocketFactory applications = new DelegatingSocketFactory();
    assertSame(
        applications,
        http.wrap(new OkHttpClient.Builder().socketFactory(applications).build()).socketFactory());
  }

  /** An application's own factory; the mesh must not replace it. */
  private static final class DelegatingSocketFactory extends SocketFactory {
    private final SocketFactory delegate = SocketFactory.getDefault();

    @Override
    public java.net.Socket createSocket() throws IOException {
      return delegate.createSocket();
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public java.net.Socket createSocket(
        String host, int port, java.net.InetAddress local, int localPort) throws IOException {
      return delegate.createSocket(host, port, local, localPort);
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
      return delegate.createSocket(host, port);
    }

    @Override
    public java.net.Socket createSocket(
        java.net.InetAddress address, int port, java.net.InetAddress local, int localPort)
        throws IOException {
      return delegate.createSocket(address, port, local, localPort);
    }
  }
}

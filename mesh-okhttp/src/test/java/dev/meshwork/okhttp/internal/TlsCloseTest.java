package dev.meshwork.okhttp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

/**
 * Closing a TLS 1.3 connection over a transport socket to a peer that never answers the {@code
 * close_notify} returns at once. The JDK's TLS socket reads one more byte on close when the socket
 * reports a read timeout; a transport socket reports 0 for a watched timeout, so that read is
 * skipped instead of waiting out the timeout (here 20 s, beyond the test's bound).
 */
class TlsCloseTest {
  @Test
  void closingATlsConnectionToASilentPeerDoesNotWaitForItsCloseNotify() throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    SpiffeId id = SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
    CountDownLatch testDone = new CountDownLatch(1);
    try (BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(id).build();
        SSLServerSocket server =
            (SSLServerSocket)
                MeshSslContexts.server(
                        source, LiveVerifier.acceptingAnyMember(source, MeshClock.system()))
                    .getServerSocketFactory()
                    .createServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
      server.setNeedClientAuth(true);
      CompletableFuture<Void> peer =
          CompletableFuture.runAsync(
              () -> {
                try (SSLSocket accepted = (SSLSocket) server.accept()) {
                  accepted.startHandshake();
                  InputStream in = accepted.getInputStream();
                  in.read(); // the client's one byte
                  accepted
                      .getOutputStream()
                      .write(2); // after the session tickets, so the client reads them all
                  accepted.getOutputStream().flush();
                  testDone.await(60, TimeUnit.SECONDS); // then silent: no reply to close_notify
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      ReadWatchdog watchdog = new ReadWatchdog("test-read-watchdog");
      Socket raw = new BlockingReadSocketFactory(watchdog).createSocket();
      raw.connect(new InetSocketAddress(server.getInetAddress(), server.getLocalPort()), 5_000);
      SSLSocket tls =
          (SSLSocket)
              MeshSslContexts.client(
                      source, LiveVerifier.acceptingAnyMember(source, MeshClock.system()))
                  .getSocketFactory()
                  .createSocket(raw, "127.0.0.1", server.getLocalPort(), true);
      tls.setSoTimeout(20_000);
      tls.startHandshake();
      assertEquals("TLSv1.3", tls.getSession().getProtocol());
      tls.getOutputStream().write(1);
      tls.getOutputStream().flush();
      assertEquals(
          2, tls.getInputStream().read(), "nothing left unread for the close to skip over");

      assertTimeoutPreemptively(Duration.ofSeconds(10), tls::close);

      assertTrue(raw.isClosed(), "closing the TLS socket closes the transport socket under it");
      assertEquals(0, watchdog.watchedCount());
      testDone.countDown();
      peer.get(10, TimeUnit.SECONDS);
    } finally {
      testDone.countDown();
    }
  }
}

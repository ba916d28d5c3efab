package dev.meshwork.okhttp;

import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.CertificateSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.SvidRejectedException;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A JDK HTTPS server built the way a mesh workload builds one: {@link MeshSslContexts#server} over
 * a live certificate source, accepting any member of the source's trust domain. It answers with its
 * name and the SPIFFE ID the client presented, and records the serial of every client certificate
 * it sees. A test may close the {@link #gate} to hold requests inside the handler.
 */
public final class TlsBackend implements AutoCloseable {
  static {
    // The JDK server writes headers and body as separate TLS records; without TCP_NODELAY each
    // response waits on Nagle's algorithm and the client's delayed ACK (about 40 ms a call).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  final Set<BigInteger> clientSerials = ConcurrentHashMap.newKeySet();
  final CountDownLatch entered = new CountDownLatch(1);
  volatile CountDownLatch gate = new CountDownLatch(0);
  private final HttpsServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(8);

  public TlsBackend(String name, CertificateSource source, MeshClock clock) throws IOException {
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setHttpsConfigurator(
        MeshSslContexts.httpsConfigurator(
            MeshSslContexts.server(source, LiveVerifier.acceptingAnyMember(source, clock))));
    server.setExecutor(executor);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            X509Certificate peer =
                (X509Certificate)
                    ((HttpsExchange) exchange).getSSLSession().getPeerCertificates()[0];
            clientSerials.add(peer.getSerialNumber());
            entered.countDown();
            if (!gate.await(10, TimeUnit.SECONDS)) {
              throw new IOException("the test never opened the gate");
            }
            exchange.getRequestBody().readAllBytes();
            byte[] body =
                (name + " saw " + SpiffeVerifier.identityOf(peer)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          } catch (SvidRejectedException e) {
            throw new IOException(e);
          }
        });
    server.start();
  }

  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

package dev.meshwork.benchmarks;

import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a new mutual-TLS 1.3 connection costs with the mesh's identity (ECDSA P-256 SVIDs from the
 * built-in CA, SPIFFE verification on both sides): a full handshake against one that resumes a
 * session from a ticket. One operation is a TCP connect to a local JDK TLS server with a mesh
 * server context, the handshake, one byte each way (so the client also reads the session ticket,
 * which TLS 1.3 sends after the handshake) and the close; client and server share the machine, so
 * the time is both sides' work. The difference between the two is the handshake's.
 *
 * <p>{@code full} starts every connection with empty session caches ({@link
 * MeshSslContexts#invalidateSessions}, outside the timed operation), as after a certificate
 * rotation. {@code resumed} keeps its cache; the setup checks that the server really skipped
 * verifying the client certificate on a resumed connection, so the benchmark measures what its name
 * says.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(1)
public class TlsHandshakeBenchmark {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  private BuiltInCaSource serverSource;
  private BuiltInCaSource clientSource;
  private SSLServerSocket server;
  private Thread acceptor;

  /**
   * Client chains the server verified (each reads the verifier's clock once); none on resumption.
   */
  private final AtomicLong serverVerifications = new AtomicLong();

  private SSLContext fullContext;
  private SSLContext resumingContext;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    serverSource = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build();
    clientSource = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build();
    // Counted by the clock, not by looking up the verifier: the context also looks it up for
    // every connection, to notice a change of trust.
    MeshClock countingClock =
        new MeshClock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public Instant now() {
            serverVerifications.incrementAndGet();
            return Instant.now();
          }
        };
    SSLContext serverContext =
        MeshSslContexts.server(
            serverSource, LiveVerifier.acceptingAnyMember(serverSource, countingClock));
    server =
        (SSLServerSocket)
            serverContext
                .getServerSocketFactory()
                .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::serve, "tls-handshake-server");
    acceptor.setDaemon(true);
    acceptor.start();
    SpiffeVerifier mathoid =
        SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).build();
    fullContext = MeshSslContexts.client(clientSource, () -> mathoid);
    resumingContext = MeshSslContexts.client(clientSource, () -> mathoid);
    connect(resumingContext);
    long before = serverVerifications.get();
    connect(resumingContext);
    if (serverVerifications.get() != before) {
      throw new IllegalStateException(
          "the second connection did a full handshake: this JDK did not resume the"
              + " TLS 1.3 session, so 'resumed' would measure full handshakes");
    }
  }

  /**
   * Answers each connection in turn: handshake, echo one byte, close. The client is
   * single-threaded.
   */
  private void serve() {
    while (!server.isClosed()) {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        int b = in.read();
        socket.getOutputStream().write(b);
        socket.getOutputStream().flush();
      } catch (SocketException closed) {
        return;
      } catch (IOException e) {
        // A failed handshake fails the client's operation too, which reports it; keep serving.
      }
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    server.close();
    acceptor.join(5_000);
    serverSource.close();
    clientSource.close();
  }

  /** Empty session caches before each full-handshake operation (not timed). */
  @State(Scope.Thread)
  public static class FreshSessions {
    @Setup(Level.Invocation)
    public void forget(TlsHandshakeBenchmark benchmark) {
      MeshSslContexts.invalidateSessions(benchmark.fullContext);
    }
  }

  @Benchmark
  public int full(FreshSessions fresh) throws IOException {
    return connect(fullContext);
  }

  @Benchmark
  public int resumed() throws IOException {
    return connect(resumingContext);
  }

  private int connect(SSLContext context) throws IOException {
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
      // Without TCP_NODELAY the handshake's small flights wait on Nagle and delayed ACKs (40 ms).
      socket.setTcpNoDelay(true);
      socket.startHandshake();
      socket.getOutputStream().write(1);
      socket.getOutputStream().flush();
      int echoed = socket.getInputStream().read();
      if (echoed != 1) {
        throw new IOException("the server echoed " + echoed + " instead of 1");
      }
      return echoed;
    }
  }
}

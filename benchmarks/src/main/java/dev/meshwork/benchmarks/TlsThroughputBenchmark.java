package dev.meshwork.benchmarks;

import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
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
 * Mutual-TLS calls per second through the mesh against raw OkHttp, both presenting the same client
 * certificate to the same local HTTPS server (the JDK's, with a mesh server context) and both
 * verifying the server's SPIFFE ID. The mesh adds its pipeline, the per-service TLS dial and the
 * trust guard; everything else (TLS 1.3, pooled HTTP/1.1 connections) is the same. Target: {@code
 * mesh >= 0.95 x raw}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Threads(4)
@Fork(1)
public class TlsThroughputBenchmark {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");

  private BuiltInCaSource serverSource;
  private BuiltInCaSource clientSource;
  private ExecutorService serverThreads;
  private HttpsServer server;
  private Mesh mesh;
  private OkHttpClient meshClient;
  private OkHttpClient rawClient;
  private Request meshRequest;
  private Request rawRequest;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    // Without TCP_NODELAY the JDK server's responses wait on Nagle and delayed ACKs.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    BuiltInCa ca = BuiltInCa.builder().build();
    serverSource = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build();
    clientSource = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build();
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
    server.setHttpsConfigurator(
        MeshSslContexts.httpsConfigurator(
            MeshSslContexts.server(
                serverSource, LiveVerifier.acceptingAnyMember(serverSource, MeshClock.system()))));
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
    server.createContext(
        "/",
        exchange -> {
          try (exchange;
              OutputStream out = exchange.getResponseBody()) {
            exchange.sendResponseHeaders(200, body.length);
            out.write(body);
          }
        });
    server.start();
    String address = "127.0.0.1:" + server.getAddress().getPort();

    mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(clientSource).build())
            .service("mathoid", s -> s.endpoints(address))
            .build();
    meshClient = MeshOkHttp.of(mesh).client();
    meshRequest = new Request.Builder().url("http://mathoid/render").build();

    rawClient = RawClients.mutualTls(clientSource.current(), MATHOID);
    rawRequest = new Request.Builder().url("https://" + address + "/render").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    mesh.close();
    rawClient.connectionPool().evictAll();
    server.stop(0);
    serverThreads.shutdownNow();
    serverSource.close();
    clientSource.close();
  }

  @Benchmark
  public int raw() throws IOException {
    return call(rawClient, rawRequest);
  }

  @Benchmark
  public int mesh() throws IOException {
    return call(meshClient, meshRequest);
  }

  private static int call(OkHttpClient client, Request request) throws IOException {
    try (Response response = client.newCall(request).execute()) {
      response.body().bytes();
      if (response.code() != 200) {
        throw new IOException("unexpected status " + response.code());
      }
      return response.code();
    }
  }
}

package dev.meshwork.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.core.MeshClock;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.LiveVerifier;
import dev.meshwork.tls.MeshSslContexts;
import dev.meshwork.tls.SpiffeId;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;

/**
 * A stand-in for one mathoid instance: a real HTTPS server on a free loopback port that answers
 * {@code POST /render/svg} with an SVG and its own name, so the demo can show who served a call. It
 * speaks mutual TLS 1.3 with a certificate from the demo's built-in CA and only lets in callers
 * whose SPIFFE ID is {@code caller}.
 */
final class MathoidInstance implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body separately and reads this once, when its first
    // server is made; without it every reply waits some 40 ms for the caller's delayed ACK.
    // Runs when the IDE or a test starts a demo too, not only under exec:java.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final String name;
  private final HttpsServer server;
  private final ExecutorService executor;
  private final BuiltInCaSource certificates;
  private volatile boolean broken;

  MathoidInstance(String name, BuiltInCa ca, SpiffeId identity, SpiffeId caller)
      throws IOException {
    this.name = name;
    this.certificates = BuiltInCaSource.builder().ca(ca).spiffeId(identity).build();
    SSLContext tls =
        MeshSslContexts.server(
            certificates, LiveVerifier.accepting(certificates, Set.of(caller), MeshClock.system()));
    this.server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(MeshSslContexts.httpsConfigurator(tls));
    this.executor =
        Executors.newFixedThreadPool(
            2,
            runnable -> {
              Thread thread = new Thread(runnable, name);
              thread.setDaemon(true);
              return thread;
            });
    server.setExecutor(executor);
    server.createContext("/render/svg", this::render);
    server.start();
  }

  String name() {
    return name;
  }

  /** Where the instance listens, as a static endpoint entry. */
  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * While broken the instance answers every render with 503, as an overloaded or failing instance
   * would.
   */
  void broken(boolean broken) {
    this.broken = broken;
  }

  private void render(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (broken) {
        exchange.getRequestBody().readAllBytes();
        exchange.sendResponseHeaders(503, -1);
        return;
      }
      MathoidApi.Formula formula =
          JSON.readValue(exchange.getRequestBody(), MathoidApi.Formula.class);
      String svg =
          "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>"
              + escape(formula.tex())
              + "</text></svg>";
      byte[] body =
          JSON.writeValueAsString(new MathoidApi.Rendered(name, svg))
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    certificates.close();
  }
}

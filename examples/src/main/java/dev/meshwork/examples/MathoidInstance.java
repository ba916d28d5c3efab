package dev.meshwork.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for one mathoid instance: a real HTTP server on a free loopback port that answers
 * {@code POST /render/svg} with an SVG and its own name, so the demo can show who served a call.
 */
final class MathoidInstance implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final HttpServer server;
  private final ExecutorService executor;

  MathoidInstance(String name) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(2, runnable -> {
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

  private void render(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      MathoidApi.Formula formula = JSON.readValue(exchange.getRequestBody(), MathoidApi.Formula.class);
      String svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>" + escape(formula.tex()) + "</text></svg>";
      byte[] body = JSON.writeValueAsString(new MathoidApi.Rendered(name, svg)).getBytes(StandardCharsets.UTF_8);
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
  }
}

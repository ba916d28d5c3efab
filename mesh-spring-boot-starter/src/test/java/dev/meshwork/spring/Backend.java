package dev.meshwork.spring;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP backend on loopback that answers every request with its own name. */
final class Backend implements AutoCloseable {
  private final HttpServer server;
  private final String name;
  private final AtomicInteger hits = new AtomicInteger();

  private Backend(String name) {
    this.name = name;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          hits.incrementAndGet();
          exchange.getRequestBody().readAllBytes();
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  static Backend start(String name) {
    return new Backend(name);
  }

  /** {@code 127.0.0.1:port}. */
  String address() {
    return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  int hits() {
    return hits.get();
  }

  String name() {
    return name;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

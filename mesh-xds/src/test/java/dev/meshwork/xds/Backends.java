package dev.meshwork.xds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Real HTTP backends on loopback, each answering with its own name and a settable status. */
final class Backends implements AutoCloseable {
  static {
    // The JDK server writes headers and body apart; without TCP_NODELAY each call waits for a
    // delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final List<HttpServer> servers = new ArrayList<>();
  private final List<AtomicInteger> statuses = new ArrayList<>();
  private final ExecutorService executor = Executors.newCachedThreadPool();

  Backends(String... names) throws IOException {
    for (String name : names) {
      AtomicInteger status = new AtomicInteger(200);
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/",
          exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          });
      server.setExecutor(executor);
      server.start();
      servers.add(server);
      statuses.add(status);
    }
  }

  /** {@code host:port} of backend {@code index}. */
  String address(int index) {
    return "127.0.0.1:" + servers.get(index).getAddress().getPort();
  }

  /** Makes backend {@code index} answer with {@code status}. */
  void status(int index, int status) {
    statuses.get(index).set(status);
  }

  @Override
  public void close() {
    servers.forEach(s -> s.stop(0));
    executor.shutdownNow();
  }
}

package dev.meshwork.config;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP servers on loopback, one per version, each answering its version's name; and a minimal
 * transport that sends a mesh's calls to them over HTTP, as mesh-okhttp does.
 */
final class Backends implements AutoCloseable {
  static {
    // Headers and body are separate writes: without TCP_NODELAY each answer waits out a delayed
    // ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final Map<String, AtomicInteger> hits = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  Backends(String... versions) throws IOException {
    for (String version : versions) {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      AtomicInteger count = new AtomicInteger();
      server.createContext(
          "/",
          exchange -> {
            count.incrementAndGet();
            byte[] body = version.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      servers.put(version, server);
      hits.put(version, count);
    }
  }

  int port(String version) {
    return servers.get(version).getAddress().getPort();
  }

  /** Requests the server of {@code version} got, mirrored copies included. */
  int hits(String version) {
    return hits.get(version).get();
  }

  /** Sends {@code GET path} to {@code service} through {@code mesh}; the body answered. */
  String get(Mesh mesh, String service, String path, Map<String, String> headers)
      throws IOException {
    TransportContext context = MeshTransports.attach(mesh, TransportContext.class, c -> c);
    ServiceInvoker invoker = context.invoker(service);
    MeshRequest request =
        new MeshRequest() {
          @Override
          public String method() {
            return "GET";
          }

          @Override
          public String path() {
            return path;
          }

          @Override
          public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
          }
        };
    HttpResponse<String> response = invoker.invoke(request, new Send(path, headers));
    return response.body();
  }

  /** One attempt: a real HTTP call to the endpoint the mesh picked. */
  private final class Send implements Exchange<HttpResponse<String>> {
    private final String path;
    private final Map<String, String> headers;

    Send(String path, Map<String, String> headers) {
      this.path = path;
      this.headers = headers;
    }

    @Override
    public HttpResponse<String> send(Endpoint endpoint, AttemptContext attempt) throws IOException {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://" + endpoint.address() + path))
              .timeout(Duration.ofSeconds(5));
      headers.forEach(request::header);
      try {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted");
      }
    }

    @Override
    public int status(HttpResponse<String> response) {
      return response.statusCode();
    }

    @Override
    public void discard(HttpResponse<String> response) {}
  }

  @Override
  public void close() {
    servers.values().forEach(server -> server.stop(0));
  }
}

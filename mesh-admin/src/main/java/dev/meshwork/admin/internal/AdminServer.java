package dev.meshwork.admin.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.spi.Redaction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mesh's admin endpoint: the JDK's {@link HttpServer} on mesh-owned daemon threads, serving
 * read-only pages from one table (adding a page is one line in {@link #pages}). Only GET and HEAD
 * are served, and only to a {@code Host} the {@link HostCheck} accepts; an unknown path gets a 404,
 * another method a 405 and another host a 421, all as JSON. No request body is ever read.
 *
 * <p>Connection threads read requests and answer {@code /ready}, the dashboard and errors
 * themselves; the other pages render on two threads of their own, with a short backlog beyond which
 * they answer 503 at once. So a slow page or a slow client never holds up a readiness probe.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  /** Requests read at a time; a client that sends its headers slowly holds one until it is done. */
  private static final int CONNECTION_THREADS = 32;

  /** Two threads: pages take microseconds, and a browser polls a few of them at a time. */
  private static final int PAGE_THREADS = 2;

  /**
   * Pages rendering or waiting for a thread; beyond this they answer 503 instead of holding a
   * connection thread.
   */
  private static final int PAGE_BACKLOG = 8;

  /** Answered on the connection thread: cheap, and a probe must not wait behind other pages. */
  private static final Set<String> INLINE = Set.of("/", "/ready");

  private final HttpServer server;
  private final AdminThreads connections;
  private final AdminThreads renderers;
  private final Semaphore backlog = new Semaphore(PAGE_BACKLOG);
  private final HostCheck hosts;
  private final Map<String, AdminPage> pages;

  private AdminServer(
      HttpServer server,
      AdminThreads connections,
      AdminThreads renderers,
      AdminSettings settings,
      Mesh mesh) {
    this.server = server;
    this.connections = connections;
    this.renderers = renderers;
    this.hosts = new HostCheck(settings);
    this.pages = pages(settings, server.getAddress(), mesh);
  }

  private static Map<String, AdminPage> pages(
      AdminSettings settings, InetSocketAddress address, Mesh mesh) {
    Supplier<MeshSnapshot> snapshot = mesh::snapshot;
    Map<String, AdminPage> pages = new LinkedHashMap<>();
    pages.put("/", Dashboard::page);
    pages.put("/clusters", new ClustersPage(snapshot));
    pages.put("/config", new ConfigPage(snapshot, settings, address));
    DocumentPages.add(pages, mesh);
    pages.put("/certs", new CertsPage(snapshot));
    pages.put("/routes", new RoutesPage(snapshot));
    pages.put("/decisions", new DecisionsPage(snapshot));
    pages.put("/ready", new ReadyPage(snapshot));
    pages.put("/metrics", MetricsPages.forRegistry(mesh.telemetry().meterRegistry().orElse(null)));
    return Map.copyOf(pages);
  }

  /**
   * Starts serving {@code mesh}.
   *
   * @throws MeshStartupException when the address cannot be bound
   */
  public static AdminServer start(AdminSettings settings, Mesh mesh) {
    InetSocketAddress address = new InetSocketAddress(settings.bindAddress(), settings.port());
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new MeshStartupException(
          "admin endpoint cannot listen on "
              + address.getAddress().getHostAddress()
              + ":"
              + settings.port()
              + " ("
              + e.getMessage()
              + "); choose another AdminOptions port, or 0 for any free port");
    }
    AdminThreads connections =
        new AdminThreads("meshwork-admin-io", Duration.ofSeconds(30), CONNECTION_THREADS);
    AdminThreads renderers =
        new AdminThreads("meshwork-admin-page", Duration.ofSeconds(30), PAGE_THREADS);
    AdminServer admin = new AdminServer(server, connections, renderers, settings, mesh);
    server.setExecutor(connections);
    server.createContext("/", admin::handle);
    try {
      // The server's dispatcher thread inherits the daemon flag of the thread that starts it;
      // started from a daemon thread it never keeps the JVM alive, even if the mesh is never
      // closed.
      CompletableFuture.runAsync(server::start, connections).get();
    } catch (ExecutionException e) {
      admin.close();
      throw new MeshStartupException("admin endpoint failed to start: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      admin.close();
      throw new MeshStartupException("interrupted while starting the admin endpoint");
    }
    log.info("Meshwork admin endpoint at {}", admin.uri());
    return admin;
  }

  /** The bound address (with the chosen port when the options asked for port 0). */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** {@code http://host:port/}, the dashboard. */
  public URI uri() {
    InetSocketAddress bound = address();
    String host = bound.getAddress().getHostAddress();
    return URI.create(
        "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort() + "/");
  }

  /** Never reads the request body: no page takes one, and a large one would only fill the heap. */
  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      boolean head = "HEAD".equals(method);
      String host = exchange.getRequestHeaders().getFirst("Host");
      AdminResponse response;
      if (!hosts.allows(host, exchange.getLocalAddress().getAddress())) {
        response =
            AdminResponse.error(
                421,
                "Host "
                    + quoted(host)
                    + " is not this admin endpoint; it answers to"
                    + " localhost, the address it was reached on and AdminOptions.allowedHosts");
      } else if (!head && !"GET".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        response =
            AdminResponse.error(
                405,
                "method "
                    + quoted(method)
                    + " is not allowed; the admin endpoint is read-only (GET, HEAD)");
      } else {
        response = respond(exchange.getRequestURI().getPath());
      }
      send(exchange, response, head);
    }
  }

  private static String quoted(String text) {
    return text == null
        ? "(none)"
        : "'" + (text.length() <= 100 ? text : text.substring(0, 100) + "...") + "'";
  }

  /**
   * Renders {@code path}: a cheap page here, any other on the page threads while this one waits.
   */
  private AdminResponse respond(String path) {
    AdminPage page = pages.get(path);
    if (page == null) {
      return AdminResponse.error(
          404, "no admin page at " + path + "; pages: " + new TreeSet<>(pages.keySet()));
    }
    if (INLINE.contains(path)) {
      return render(path, page);
    }
    if (!backlog.tryAcquire()) {
      return AdminResponse.error(
          503, "the admin endpoint is busy rendering " + PAGE_BACKLOG + " pages; try again");
    }
    try {
      return CompletableFuture.supplyAsync(() -> render(path, page), renderers).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return AdminResponse.error(503, "the admin endpoint is closing");
    } catch (RejectedExecutionException e) {
      return AdminResponse.error(503, "the admin endpoint is closing");
    } catch (ExecutionException e) {
      log.warn("admin page {} failed", path, e.getCause());
      return AdminResponse.error(
          500, "rendering " + path + " failed: " + Redaction.text(e.getCause().toString()));
    } finally {
      backlog.release();
    }
  }

  private static AdminResponse render(String path, AdminPage page) {
    try {
      return page.render();
    } catch (Exception | LinkageError e) {
      log.warn("admin page {} failed", path, e);
      return AdminResponse.error(
          500, "rendering " + path + " failed: " + Redaction.text(e.toString()));
    }
  }

  private static void send(HttpExchange exchange, AdminResponse response, boolean head)
      throws IOException {
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", response.contentType());
    headers.set("Cache-Control", "no-store");
    headers.set("X-Content-Type-Options", "nosniff");
    // The dashboard needs nothing but its own inline code and same-origin fetches.
    headers.set(
        "Content-Security-Policy",
        "default-src 'none'; connect-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
    if (head) {
      exchange.sendResponseHeaders(response.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(response.status(), response.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(response.body());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    connections.close();
    renderers.close();
  }

  /** Loads the dashboard once; it is a static page that fetches the JSON pages itself. */
  private static final class Dashboard {
    private static final AdminResponse PAGE = load();

    static AdminResponse page() {
      return PAGE;
    }

    private static AdminResponse load() {
      try (InputStream in = AdminServer.class.getResourceAsStream("dashboard.html")) {
        if (in == null) {
          throw new IllegalStateException("dashboard.html is missing from mesh-admin's resources");
        }
        return new AdminResponse(200, "text/html; charset=utf-8", in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

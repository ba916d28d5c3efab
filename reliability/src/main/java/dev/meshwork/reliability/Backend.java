package dev.meshwork.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsServer;
import dev.meshwork.core.spi.MeshThreads;
import dev.meshwork.tls.MeshSslContexts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A real backend on a loopback address: the JDK {@code HttpServer}, or {@code HttpsServer} with a
 * mesh server context, answering as its {@link Behaviour} says. It can be killed and restarted:
 * {@link #kill()} closes the listening socket and every open connection at once, calls in flight
 * included (what the clients of a crashed process see); {@link #restart()} binds again on the same
 * address and port. Delayed answers are sent from a scheduler, so no handler thread waits.
 */
public final class Backend implements AutoCloseable {
  static {
    // The JDK server writes headers and body separately; without TCP_NODELAY every answer waits
    // for the client's delayed ACK (some 40 ms).
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** How a backend answers one request; runs on a handler thread and must not block. */
  @FunctionalInterface
  public interface Behaviour {
    Answer answer(HttpExchange exchange, byte[] body);
  }

  /**
   * An answer: {@code status} and {@code body}, sent after {@code delayMillis}; {@code close} adds
   * {@code Connection: close}, so the server closes the connection after it. A status of 0 is no
   * answer: the connection is closed after the delay instead.
   */
  public record Answer(int status, String body, long delayMillis, boolean close) {
    public static Answer of(int status, String body) {
      return new Answer(status, body, 0, false);
    }

    /**
     * No answer: the server gives up on the request after the delay and closes the connection, for
     * requests whose callers are gone by then (cancelled, timed out). Writing a late answer instead
     * would leak the connection on Java 17, whose {@code HttpServer} keeps a connection open for
     * good when the answer cannot be written.
     */
    public static Answer hangUp() {
      return new Answer(0, "", 0, true);
    }

    public Answer delayed(long millis) {
      return new Answer(status, body, millis, close);
    }

    public Answer closing() {
      return new Answer(status, body, delayMillis, true);
    }
  }

  private final String name;
  private final InetAddress host;
  private final Optional<SSLContext> tls;
  private final Behaviour behaviour;
  private final ExecutorService handlers;
  private final ScheduledExecutorService delays;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong answersLost = new AtomicLong();
  private final AtomicLong kills = new AtomicLong();
  private int port;
  private HttpServer server; // guarded by this

  /**
   * Starts a backend on {@code host} (a loopback address) and {@code port} (0 for any free one).
   *
   * @param tls a server context (from {@link MeshSslContexts#server}) for HTTPS, or empty
   */
  public Backend(
      String name, InetAddress host, int port, Optional<SSLContext> tls, Behaviour behaviour)
      throws IOException {
    if (!host.isLoopbackAddress()) {
      throw new IllegalArgumentException(name + ": backends bind loopback addresses only: " + host);
    }
    this.name = name;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.behaviour = behaviour;
    // The JDK's HTTPS server runs each new connection's TLS handshake on a handler thread, reading
    // in blocking mode: a few slow handshakes must not leave no thread for the requests.
    this.handlers = Executors.newFixedThreadPool(64, MeshThreads.named("backend-" + name));
    this.delays =
        Executors.newSingleThreadScheduledExecutor(MeshThreads.named("backend-" + name + "-delay"));
    start();
  }

  /** A plaintext backend on 127.0.0.1 and a free port. */
  public static Backend plain(String name, Behaviour behaviour) throws IOException {
    return new Backend(name, InetAddress.getLoopbackAddress(), 0, Optional.empty(), behaviour);
  }

  public String name() {
    return name;
  }

  /** {@code host:port}, as the mesh's endpoints and its error messages write it. */
  public synchronized String address() {
    return host.getHostAddress() + ":" + port;
  }

  public synchronized int port() {
    return port;
  }

  /** Requests received since the start, across restarts. */
  public long requests() {
    return requests.get();
  }

  /** Answers that could not be written (the connection was gone: a kill, a client that left). */
  public long answersLost() {
    return answersLost.get();
  }

  public long kills() {
    return kills.get();
  }

  public synchronized boolean running() {
    return server != null;
  }

  /**
   * Closes the listening socket and every open connection now, requests in flight included; nothing
   * is waited for. Does nothing when already down.
   */
  public synchronized void kill() {
    if (server != null) {
      server.stop(0);
      server = null;
      kills.incrementAndGet();
    }
  }

  /** Binds again on the same address and port. Does nothing when running. */
  public synchronized void restart() throws IOException {
    if (server == null) {
      start();
    }
  }

  private synchronized void start() throws IOException {
    InetSocketAddress address = new InetSocketAddress(host, port);
    HttpServer created;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 1024);
      https.setHttpsConfigurator(MeshSslContexts.httpsConfigurator(tls.get()));
      created = https;
    } else {
      created = HttpServer.create(address, 1024);
    }
    created.setExecutor(handlers);
    created.createContext("/", this::handle);
    created.start();
    port = created.getAddress().getPort();
    server = created;
  }

  private void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    Answer answer;
    try {
      byte[] body = exchange.getRequestBody().readAllBytes();
      answer = behaviour.answer(exchange, body);
    } catch (IOException | RuntimeException e) {
      answersLost.incrementAndGet();
      exchange.close();
      return;
    }
    if (answer.delayMillis() <= 0) {
      send(exchange, answer);
      return;
    }
    try {
      var unused =
          delays.schedule(
              () -> send(exchange, answer), answer.delayMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      exchange.close();
    }
  }

  private void send(HttpExchange exchange, Answer answer) {
    if (answer.status() == 0) {
      exchange.close(); // nothing sent: the JDK server closes the connection
      return;
    }
    try (exchange) {
      byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
      if (answer.close()) {
        exchange.getResponseHeaders().set("Connection", "close");
      }
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    } catch (IOException | RuntimeException e) {
      answersLost.incrementAndGet();
    }
  }

  @Override
  public void close() {
    kill();
    delays.shutdownNow();
    handlers.shutdownNow();
  }

  @Override
  public String toString() {
    return "backend " + name + " at " + address();
  }

  /** Wraps {@link IOException} for lambdas that restart backends. */
  static void restartUnchecked(Backend backend) {
    try {
      backend.restart();
    } catch (IOException e) {
      throw new UncheckedIOException(backend + ": restart failed", e);
    }
  }
}

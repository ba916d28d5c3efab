package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.SniffingServerSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Objects;
import javax.net.ServerSocketFactory;
import javax.net.ssl.SSLContext;

/**
 * Server sockets that accept mutual TLS and plaintext on the same port, for moving a service onto
 * the mesh without a flag day (what Istio calls PERMISSIVE mode): while some callers still speak
 * plain HTTP and others already come through the mesh, the service listens once and serves both.
 * Turn it off (use the context's own {@code SSLServerSocketFactory}) once every caller is on the
 * mesh.
 *
 * <p>Each accepted connection is classified by its first byte, the way Envoy's TLS inspector does
 * it: 0x16 starts a TLS handshake record, anything else is plaintext. A TLS connection is returned
 * as an {@link javax.net.ssl.SSLSocket} in server mode from {@code serverContext} (build it with
 * {@link MeshSslContexts#server}, so a client certificate is required and verified exactly as on a
 * mutual-TLS-only port; a client with an untrusted certificate is still refused); a plaintext
 * connection as an ordinary {@code Socket}. The server tells them apart with {@code socket
 * instanceof SSLSocket} and should treat plaintext callers as anonymous.
 *
 * <p>{@code accept()} never waits for a slow client: connections are read on a background thread,
 * and one that sends nothing within the {@link #DEFAULT_SNIFF_TIMEOUT sniff timeout} is closed. At
 * most {@code backlog} connections are held (being read or waiting for {@code accept()}); more wait
 * in the kernel's backlog. If accepting fails (such as "Too many open files"), the socket retries
 * with a back-off of up to one second instead of stopping. Accepted sockets have TCP_NODELAY set.
 * Works with any server that takes a {@code ServerSocketFactory} or a bound {@code ServerSocket}
 * and uses blocking sockets; servers built on NIO channels (the JDK's HttpServer, Netty, Jetty)
 * need their own first-byte detection (Netty: {@code OptionalSslHandler}).
 *
 * <p>Mesh clients never fall back to plaintext: a service called with mutual TLS is only ever
 * dialled with TLS. Permissive is a property of a server's port, not of a client.
 */
public final class PermissiveServerSocketFactory extends ServerSocketFactory {
  /** How long a new connection may take to send its first byte unless configured: 10 seconds. */
  public static final Duration DEFAULT_SNIFF_TIMEOUT = Duration.ofSeconds(10);

  private final SSLContext serverContext;
  private final Duration sniffTimeout;

  private PermissiveServerSocketFactory(SSLContext serverContext, Duration sniffTimeout) {
    this.serverContext = serverContext;
    this.sniffTimeout = sniffTimeout;
  }

  /** Accepts TLS with {@code serverContext} and plaintext, with the default sniff timeout. */
  public static PermissiveServerSocketFactory of(SSLContext serverContext) {
    return of(serverContext, DEFAULT_SNIFF_TIMEOUT);
  }

  /**
   * Accepts TLS with {@code serverContext} and plaintext; a connection that sends nothing for
   * {@code sniffTimeout} is closed.
   *
   * @throws MeshConfigException when the timeout is not positive
   */
  public static PermissiveServerSocketFactory of(SSLContext serverContext, Duration sniffTimeout) {
    Objects.requireNonNull(serverContext, "serverContext");
    if (sniffTimeout == null || sniffTimeout.toMillis() < 1) {
      throw new MeshConfigException(
          "permissive server sniff timeout",
          sniffTimeout,
          "a positive duration of at least 1 ms, such as PT10S");
    }
    return new PermissiveServerSocketFactory(serverContext, sniffTimeout);
  }

  /** An unbound server socket; bind it before accepting. */
  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new SniffingServerSocket(serverContext.getSocketFactory(), sniffTimeout);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return createServerSocket(port, 50, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return createServerSocket(port, backlog, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
      throws IOException {
    ServerSocket socket = createServerSocket();
    try {
      socket.bind(new InetSocketAddress(address, port), backlog);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  @Override
  public String toString() {
    return "PermissiveServerSocketFactory{mutual TLS and plaintext, sniff timeout "
        + sniffTimeout
        + "}";
  }
}

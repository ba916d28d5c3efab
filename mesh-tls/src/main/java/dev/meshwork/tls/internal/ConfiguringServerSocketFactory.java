package dev.meshwork.tls.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * Creates the server sockets of a mesh context: {@link CurrentContextServerSocket}s with the mesh's
 * {@link SSLParameters} applied, so client authentication is required on every accepted connection
 * and each one is verified with the context current when it is accepted.
 */
final class ConfiguringServerSocketFactory extends SSLServerSocketFactory {
  private final Supplier<SSLContext> current;
  private final Supplier<SSLParameters> parameters;

  ConfiguringServerSocketFactory(Supplier<SSLContext> current, Supplier<SSLParameters> parameters) {
    this.current = current;
    this.parameters = parameters;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return parameters.get().getCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return current.get().getSupportedSSLParameters().getCipherSuites();
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new CurrentContextServerSocket(current, parameters.get());
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
}

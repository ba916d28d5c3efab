package dev.meshwork.tls.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;

/**
 * Creates server sockets with the mesh's {@link SSLParameters} applied, which the JDK copies to
 * every socket they accept (so client authentication is required on each).
 */
final class ConfiguringServerSocketFactory extends SSLServerSocketFactory {
  private final Supplier<SSLServerSocketFactory> delegate;
  private final Supplier<SSLParameters> parameters;

  ConfiguringServerSocketFactory(
      Supplier<SSLServerSocketFactory> delegate, Supplier<SSLParameters> parameters) {
    this.delegate = delegate;
    this.parameters = parameters;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return parameters.get().getCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.get().getSupportedCipherSuites();
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return configure(delegate.get().createServerSocket());
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return configure(delegate.get().createServerSocket(port));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return configure(delegate.get().createServerSocket(port, backlog));
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, InetAddress address)
      throws IOException {
    return configure(delegate.get().createServerSocket(port, backlog, address));
  }

  private ServerSocket configure(ServerSocket socket) {
    if (socket instanceof SSLServerSocket ssl) {
      ssl.setSSLParameters(parameters.get());
    }
    return socket;
  }
}

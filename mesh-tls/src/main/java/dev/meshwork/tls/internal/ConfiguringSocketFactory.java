package dev.meshwork.tls.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.function.Supplier;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Creates client sockets with the mesh's {@link SSLParameters} already applied, from the context's
 * current underlying factory.
 */
final class ConfiguringSocketFactory extends SSLSocketFactory {
  private final Supplier<SSLSocketFactory> delegate;
  private final Supplier<SSLParameters> parameters;

  ConfiguringSocketFactory(
      Supplier<SSLSocketFactory> delegate, Supplier<SSLParameters> parameters) {
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
  public Socket createSocket() throws IOException {
    return configure(delegate.get().createSocket());
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return configure(delegate.get().createSocket(socket, host, port, autoClose));
  }

  @Override
  public Socket createSocket(Socket socket, InputStream consumed, boolean autoClose)
      throws IOException {
    return configure(delegate.get().createSocket(socket, consumed, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return configure(delegate.get().createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return configure(delegate.get().createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return configure(delegate.get().createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return configure(delegate.get().createSocket(address, port, localAddress, localPort));
  }

  private Socket configure(Socket socket) {
    if (socket instanceof SSLSocket ssl) {
      ssl.setSSLParameters(parameters.get());
    }
    return socket;
  }
}

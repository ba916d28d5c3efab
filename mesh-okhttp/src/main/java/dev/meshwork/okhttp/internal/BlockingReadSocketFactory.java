package dev.meshwork.okhttp.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * The transport's socket factory: every socket it makes is a {@link BlockingReadSocket} watched by
 * the same {@link ReadWatchdog}. One instance per transport, because OkHttp pools connections per
 * socket factory.
 */
final class BlockingReadSocketFactory extends SocketFactory {
  private final ReadWatchdog watchdog;

  BlockingReadSocketFactory(ReadWatchdog watchdog) {
    this.watchdog = watchdog;
  }

  ReadWatchdog watchdog() {
    return watchdog;
  }

  @Override
  public Socket createSocket() {
    return new BlockingReadSocket(watchdog);
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(host, port), new InetSocketAddress(localAddress, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return connected(new InetSocketAddress(host, port), null);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return connected(
        new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
  }

  private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
    Socket socket = createSocket();
    try {
      if (local != null) {
        socket.bind(local);
      }
      socket.connect(remote);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }
}

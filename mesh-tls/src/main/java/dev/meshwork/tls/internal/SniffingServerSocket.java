package dev.meshwork.tls.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server socket behind {@code PermissiveServerSocketFactory}. One daemon thread accepts
 * connections and waits, with a selector, for each one's first byte; then the connection is
 * switched to blocking mode and queued for {@link #accept()} as an {@code SSLSocket} (first byte
 * 0x16, a TLS handshake record) layered over it with that byte replayed, or as a {@link
 * PushbackSocket} that replays the byte to the plaintext reader. A connection that closes or
 * stays silent past the sniff timeout is closed without ever reaching {@code accept()}.
 */
public final class SniffingServerSocket extends ServerSocket {
  /** The TLS record type of a handshake message: the first byte of every ClientHello. */
  static final int TLS_HANDSHAKE = 0x16;

  private static final Logger log = LoggerFactory.getLogger(SniffingServerSocket.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final Socket CLOSED = new Socket();

  private final SSLSocketFactory tls;
  private final long sniffTimeoutNanos;
  private final ServerSocketChannel channel;
  private final Selector selector;
  private final LinkedBlockingQueue<Socket> ready = new LinkedBlockingQueue<>();
  private volatile int soTimeout;
  private volatile boolean closed;

  public SniffingServerSocket(SSLSocketFactory tls, Duration sniffTimeout) throws IOException {
    this.tls = tls;
    this.sniffTimeoutNanos = sniffTimeout.toNanos();
    this.channel = ServerSocketChannel.open();
    this.selector = Selector.open();
  }

  @Override
  public void bind(SocketAddress endpoint, int backlog) throws IOException {
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    channel.bind(endpoint, backlog);
    channel.configureBlocking(false);
    channel.register(selector, SelectionKey.OP_ACCEPT);
    Thread thread = new Thread(this::sniffLoop, "meshwork-permissive-" + THREADS.incrementAndGet());
    thread.setDaemon(true);
    thread.start();
  }

  /** The next connection whose first byte has arrived: an {@code SSLSocket} or a plain one. */
  @Override
  public Socket accept() throws IOException {
    if (!isBound()) {
      throw new SocketException("Socket is not bound yet");
    }
    try {
      int timeout = soTimeout;
      Socket next = timeout == 0 ? ready.take() : ready.poll(timeout, TimeUnit.MILLISECONDS);
      if (next == null) {
        throw new SocketTimeoutException("Accept timed out");
      }
      if (next == CLOSED) {
        ready.offer(CLOSED); // for any other thread blocked in accept()
        throw new SocketException("Socket is closed");
      }
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SocketException("interrupted while accepting");
    }
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    selector.wakeup();
    channel.close();
    for (Socket waiting = ready.poll(); waiting != null; waiting = ready.poll()) {
      if (waiting != CLOSED) {
        waiting.close();
      }
    }
    ready.offer(CLOSED);
    super.close();
  }

  @Override
  public boolean isBound() {
    return channel.socket().isBound();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public InetAddress getInetAddress() {
    return channel.socket().getInetAddress();
  }

  @Override
  public int getLocalPort() {
    return channel.socket().getLocalPort();
  }

  @Override
  public SocketAddress getLocalSocketAddress() {
    return channel.socket().getLocalSocketAddress();
  }

  @Override
  public void setSoTimeout(int timeout) {
    this.soTimeout = timeout;
  }

  @Override
  public int getSoTimeout() {
    return soTimeout;
  }

  @Override
  public void setReuseAddress(boolean on) throws SocketException {
    channel.socket().setReuseAddress(on);
  }

  @Override
  public boolean getReuseAddress() throws SocketException {
    return channel.socket().getReuseAddress();
  }

  @Override
  public void setReceiveBufferSize(int size) throws SocketException {
    channel.socket().setReceiveBufferSize(size);
  }

  @Override
  public int getReceiveBufferSize() throws SocketException {
    return channel.socket().getReceiveBufferSize();
  }

  /** None: the channel would bypass the classification. */
  @Override
  public ServerSocketChannel getChannel() {
    return null;
  }

  @Override
  public String toString() {
    return "SniffingServerSocket[mutual TLS and plaintext on " + getLocalSocketAddress() + "]";
  }

  private void sniffLoop() {
    try (selector) {
      while (!closed) {
        selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(sniffTimeoutNanos) / 4));
        List<SocketChannel> sniffed = new ArrayList<>();
        List<Integer> firstBytes = new ArrayList<>();
        for (SelectionKey key : selector.selectedKeys()) {
          if (key.isValid() && key.isAcceptable()) {
            acceptPending();
          } else if (key.isValid() && key.isReadable()) {
            int first = readFirstByte(key);
            if (first >= 0) {
              sniffed.add((SocketChannel) key.channel());
              firstBytes.add(first);
            }
          }
        }
        selector.selectedKeys().clear();
        closeSilent(System.nanoTime());
        if (!sniffed.isEmpty()) {
          selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
          for (int i = 0; i < sniffed.size(); i++) {
            handOver(sniffed.get(i), firstBytes.get(i));
          }
        }
      }
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
    } catch (IOException | RuntimeException e) {
      if (!closed) {
        log.error("The permissive listener on {} stopped", getLocalSocketAddress(), e);
      }
    }
  }

  private void acceptPending() throws IOException {
    for (SocketChannel client = channel.accept(); client != null; client = channel.accept()) {
      client.configureBlocking(false);
      client.register(selector, SelectionKey.OP_READ, System.nanoTime() + sniffTimeoutNanos);
    }
  }

  /** The first byte, or -1 when the connection closed (it is then closed here too). */
  private int readFirstByte(SelectionKey key) {
    SocketChannel client = (SocketChannel) key.channel();
    ByteBuffer one = ByteBuffer.allocate(1);
    try {
      int read = client.read(one);
      if (read == 0) {
        return -1; // a spurious wake-up: keep waiting for the byte
      }
      key.cancel();
      if (read < 0) {
        client.close();
        return -1;
      }
      return one.get(0) & 0xff;
    } catch (IOException e) {
      key.cancel();
      closeQuietly(client);
      return -1;
    }
  }

  private void closeSilent(long now) {
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Long deadline && key.isValid() && now - deadline > 0) {
        key.cancel();
        closeQuietly(key.channel());
        log.debug("Closed a connection that sent nothing within the sniff timeout");
      }
    }
  }

  private void handOver(SocketChannel client, int first) {
    try {
      client.configureBlocking(true);
      Socket raw = client.socket();
      Socket socket = first == TLS_HANDSHAKE
          ? tls.createSocket(raw, new ByteArrayInputStream(new byte[] {(byte) first}), true)
          : new PushbackSocket(raw, first);
      ready.offer(socket);
    } catch (IOException | RuntimeException e) {
      log.debug("Dropped a connection while handing it over", e);
      closeQuietly(client);
    }
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing a connection failed", e);
    }
  }
}

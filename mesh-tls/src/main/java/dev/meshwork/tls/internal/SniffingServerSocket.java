package dev.meshwork.tls.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
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
 * PushbackSocket} that replays the byte to the plaintext reader. A connection that closes or stays
 * silent past the sniff timeout is closed without ever reaching {@code accept()}.
 *
 * <p>At most {@code backlog} connections are held at a time (being sniffed or waiting for {@code
 * accept()}); beyond that the thread stops accepting and further clients wait in the kernel's
 * backlog, as with any server socket. When accepting fails (for example with "Too many open files")
 * the thread keeps running: it retries after a back-off that doubles up to {@link
 * #MAX_ACCEPT_BACKOFF}, and logs once when the failures start and once when they end.
 */
public final class SniffingServerSocket extends ServerSocket {
  /** The TLS record type of a handshake message: the first byte of every ClientHello. */
  static final int TLS_HANDSHAKE = 0x16;

  /** The longest pause between attempts to accept while accepting keeps failing. */
  public static final Duration MAX_ACCEPT_BACKOFF = Duration.ofSeconds(1);

  private static final long FIRST_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final int DEFAULT_BACKLOG = 50;

  /** Takes the next pending connection off the listening channel; a seam for tests. */
  @FunctionalInterface
  public interface Acceptor {
    /** The next connection, or null when none is pending (the channel is non-blocking). */
    SocketChannel accept(ServerSocketChannel listening) throws IOException;
  }

  private static final Logger log = LoggerFactory.getLogger(SniffingServerSocket.class);
  private static final MeshThreads THREADS = MeshThreads.named("meshwork-permissive");
  private static final Socket CLOSED = new Socket();

  private final SSLSocketFactory tls;
  private final long sniffTimeoutNanos;
  private final ServerSocketChannel channel;
  private final Selector selector;
  private final Acceptor acceptor;
  private final LinkedBlockingQueue<Socket> ready = new LinkedBlockingQueue<>();

  /** Connections accepted from the channel and neither closed nor returned by accept() yet. */
  private final AtomicInteger held = new AtomicInteger();

  private volatile int limit = DEFAULT_BACKLOG;
  private volatile int soTimeout;
  private volatile boolean closed;
  // Accept failures; used by the listener thread only.
  private int failures;
  private long backoffNanos;
  private long retryAt;

  public SniffingServerSocket(SSLSocketFactory tls, Duration sniffTimeout) throws IOException {
    this(tls, sniffTimeout, ServerSocketChannel::accept);
  }

  public SniffingServerSocket(SSLSocketFactory tls, Duration sniffTimeout, Acceptor acceptor)
      throws IOException {
    this.tls = tls;
    this.sniffTimeoutNanos = sniffTimeout.toNanos();
    this.acceptor = acceptor;
    this.channel = ServerSocketChannel.open();
    this.selector = Selector.open();
  }

  @Override
  public void bind(SocketAddress endpoint, int backlog) throws IOException {
    if (closed) {
      throw new SocketException("Socket is closed");
    }
    channel.bind(endpoint, backlog);
    limit = backlog < 1 ? DEFAULT_BACKLOG : backlog;
    channel.configureBlocking(false);
    SelectionKey acceptKey = channel.register(selector, SelectionKey.OP_ACCEPT);
    THREADS.newThread(() -> sniffLoop(acceptKey)).start();
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
      if (held.getAndDecrement() >= limit) {
        selector.wakeup(); // the listener may accept again
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

  private void sniffLoop(SelectionKey acceptKey) {
    try (selector) {
      long poll = Math.max(1, TimeUnit.NANOSECONDS.toMillis(sniffTimeoutNanos) / 4);
      while (!closed) {
        long backoffLeft = retryAt - System.nanoTime();
        boolean backingOff = failures > 0 && backoffLeft > 0;
        acceptKey.interestOps(!backingOff && held.get() < limit ? SelectionKey.OP_ACCEPT : 0);
        selector.select(
            backingOff
                ? Math.max(1, Math.min(poll, TimeUnit.NANOSECONDS.toMillis(backoffLeft)))
                : poll);
        if (failures > 0) {
          acceptPending(); // once the back-off is over, try again even if no new client woke us
        }
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
        // Closed rather than left open without a listener, so accept() fails instead of hanging.
        log.error("The permissive listener on {} stopped; closing it", getLocalSocketAddress(), e);
        try {
          close();
        } catch (IOException closing) {
          log.debug("Closing the stopped listener failed", closing);
        }
      }
    }
  }

  private void acceptPending() {
    if (failures > 0 && retryAt - System.nanoTime() > 0) {
      return; // backing off
    }
    while (!closed && held.get() < limit) {
      SocketChannel client;
      try {
        client = acceptor.accept(channel);
      } catch (IOException | RuntimeException e) {
        acceptFailed(e);
        return;
      }
      if (client == null) {
        return;
      }
      acceptWorks();
      held.incrementAndGet();
      try {
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        client.configureBlocking(false);
        client.register(selector, SelectionKey.OP_READ, System.nanoTime() + sniffTimeoutNanos);
      } catch (IOException | RuntimeException e) {
        log.debug("Dropped a connection while registering it", e);
        drop(client);
      }
    }
  }

  private void acceptFailed(Exception e) {
    if (closed) {
      return;
    }
    if (failures++ == 0) {
      log.warn(
          "The permissive listener on {} cannot accept connections ({}); retrying with a"
              + " back-off of up to {}, logging again when it recovers",
          getLocalSocketAddress(),
          e.toString(),
          MAX_ACCEPT_BACKOFF);
    }
    backoffNanos =
        backoffNanos == 0
            ? FIRST_BACKOFF_NANOS
            : Math.min(backoffNanos * 2, MAX_ACCEPT_BACKOFF.toNanos());
    retryAt = System.nanoTime() + backoffNanos;
  }

  private void acceptWorks() {
    if (failures > 0) {
      log.warn(
          "The permissive listener on {} accepts connections again after {} failed attempts",
          getLocalSocketAddress(),
          failures);
      failures = 0;
      backoffNanos = 0;
    }
  }

  /** Closes a connection that never reached accept(), freeing its place. */
  private void drop(Channel client) {
    held.decrementAndGet();
    closeQuietly(client);
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
        drop(client);
        return -1;
      }
      return one.get(0) & 0xff;
    } catch (IOException e) {
      key.cancel();
      drop(client);
      return -1;
    }
  }

  private void closeSilent(long now) {
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Long deadline && key.isValid() && now - deadline > 0) {
        key.cancel();
        drop(key.channel());
        log.debug("Closed a connection that sent nothing within the sniff timeout");
      }
    }
  }

  private void handOver(SocketChannel client, int first) {
    try {
      client.configureBlocking(true);
      Socket raw = client.socket();
      Socket socket =
          first == TLS_HANDSHAKE
              ? tls.createSocket(raw, new ByteArrayInputStream(new byte[] {(byte) first}), true)
              : new PushbackSocket(raw, first);
      ready.offer(socket);
    } catch (IOException | RuntimeException e) {
      log.debug("Dropped a connection while handing it over", e);
      drop(client);
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

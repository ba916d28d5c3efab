package dev.meshwork.okhttp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * A transport socket whose reads block in the kernel instead of polling.
 *
 * <p>Why: the JDK (17 and later) switches a socket to non-blocking mode at its first read under a
 * non-zero {@code SO_TIMEOUT} and never switches it back, so from then on every read that finds
 * nothing waiting costs an extra {@code read}, a {@code poll} and a wake-up. OkHttp sets {@code
 * SO_TIMEOUT} to the read timeout on every exchange, although it also enforces that timeout with
 * Okio's watchdog; the duplicate costs the client CPU on every call.
 *
 * <p>So a read timeout of {@value #WATCHED_FROM_MILLIS} ms or more is not given to the kernel. Each
 * read under it records a deadline instead, and the transport's {@link ReadWatchdog} closes a
 * socket whose read is past its deadline; the read then fails with a {@link
 * SocketTimeoutException}, as it would have under {@code SO_TIMEOUT}. That also bounds the reads no
 * Okio watchdog sees, such as those of a TLS handshake. Shorter timeouts go to the kernel
 * unchanged, because their callers expect the socket to stay usable after a timeout: OkHttp's
 * health check reads with 1 ms, the JDK's TLS close drains with 1 ms.
 *
 * <p>Timeouts under {@value #WATCHED_FROM_MILLIS} ms also come from the mesh itself when an attempt
 * has less time than that left; a socket that ever reads under a kernel timeout stays in
 * non-blocking mode, so those connections keep working but lose the gain.
 *
 * <p>{@link #getSoTimeout()} reports what the kernel applies (0 for a watched timeout). The JDK's
 * TLS socket reads that value when it closes, and with a non-zero value it reads one more byte,
 * waiting for the peer's answer to its {@code close_notify}, which a silent peer never sends. The
 * price: code that saves the timeout, changes it and restores it (OkHttp's health check does)
 * restores 0, no timeout. OkHttp sets the read timeout again before every HTTP/1 exchange, so its
 * reads stay bounded; other code reading this socket's timeout should set its own.
 *
 * <p>The watchdog holds every connected socket until it is closed; a socket abandoned unclosed is
 * not reclaimed, as its file descriptor would not be either.
 */
final class BlockingReadSocket extends Socket {
  /** Read timeouts from this long are enforced by the watchdog; shorter ones by the kernel. */
  static final int WATCHED_FROM_MILLIS = 100;

  private static final VarHandle READ_DEADLINE;

  static {
    try {
      READ_DEADLINE =
          MethodHandles.lookup()
              .findVarHandle(BlockingReadSocket.class, "readDeadlineNanos", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final ReadWatchdog watchdog;

  /** The read timeout the watchdog enforces; 0 when the kernel's SO_TIMEOUT is in charge. */
  private volatile int watchedTimeoutMillis;

  /** When the read in progress is overdue, by {@link System#nanoTime()}; 0 when none is watched. */
  @SuppressWarnings("unused") // accessed through READ_DEADLINE
  private long readDeadlineNanos;

  private volatile boolean closedByWatchdog;
  private WatchedInput input; // guarded by this

  BlockingReadSocket(ReadWatchdog watchdog) {
    this.watchdog = watchdog;
  }

  @Override
  public void connect(SocketAddress endpoint, int timeout) throws IOException {
    super.connect(endpoint, timeout);
    watchdog.watch(this);
  }

  @Override
  public void setSoTimeout(int timeout) throws SocketException {
    if (timeout < 0) {
      throw new IllegalArgumentException(
          "SO_TIMEOUT must be 0 (none) or a positive number of milliseconds, was " + timeout);
    }
    // Ordered so that a read running meanwhile is always bounded by one of the two.
    if (timeout >= WATCHED_FROM_MILLIS) {
      watchedTimeoutMillis = timeout;
      super.setSoTimeout(0);
    } else {
      super.setSoTimeout(timeout);
      watchedTimeoutMillis = 0;
    }
  }

  @Override
  public InputStream getInputStream() throws IOException {
    InputStream kernel = super.getInputStream(); // checks that the socket is open and connected
    synchronized (this) {
      if (input == null) {
        input = new WatchedInput(kernel);
      }
      return input;
    }
  }

  @Override
  public void close() throws IOException {
    watchdog.forget(this);
    try {
      super.close();
    } finally {
      watchdog.forget(this); // a connect() finishing meanwhile may have added it again
    }
  }

  /**
   * Closes this socket if a watched read has been blocked past its deadline at {@code nowNanos}.
   */
  void closeIfOverdue(long nowNanos) {
    long deadline = (long) READ_DEADLINE.getOpaque(this);
    // Claiming the deadline makes sure it is still that read's: had it returned and the next
    // read begun, the deadline would have changed and the socket is left alone.
    if (deadline != 0
        && nowNanos - deadline >= 0
        && READ_DEADLINE.compareAndSet(this, deadline, 0L)) {
      closedByWatchdog = true;
      try {
        close();
      } catch (IOException e) {
        // Closing is all the watchdog can do; the blocked read fails either way.
      }
    }
  }

  /** The socket's own stream, with a deadline recorded for each read under a watched timeout. */
  private final class WatchedInput extends InputStream {
    private final InputStream kernel;

    WatchedInput(InputStream kernel) {
      this.kernel = kernel;
    }

    @Override
    public int read() throws IOException {
      // Rare (the JDK's TLS close); every stream on the call path reads into buffers.
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int timeout = watchedTimeoutMillis;
      if (timeout == 0) {
        return kernel.read(buffer, offset, length);
      }
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
      READ_DEADLINE.setOpaque(BlockingReadSocket.this, deadline == 0 ? 1 : deadline);
      try {
        return kernel.read(buffer, offset, length);
      } catch (IOException e) {
        throw translated(e, timeout);
      } finally {
        READ_DEADLINE.setOpaque(BlockingReadSocket.this, 0L);
      }
    }

    @Override
    public int available() throws IOException {
      return kernel.available();
    }

    @Override
    public void close() throws IOException {
      kernel.close();
    }

    /**
     * A read failing on a socket the watchdog closed fails as the timeout it was. The message names
     * no host: the mesh tells a connect timeout by the word "connect" in it.
     */
    private IOException translated(IOException failure, int timeoutMillis) {
      if (!closedByWatchdog) {
        return failure;
      }
      SocketTimeoutException timeout =
          new SocketTimeoutException("Read timed out: no data for " + timeoutMillis + " ms");
      timeout.initCause(failure);
      return timeout;
    }
  }
}

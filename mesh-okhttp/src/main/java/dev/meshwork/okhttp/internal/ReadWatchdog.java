package dev.meshwork.okhttp.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Enforces the read timeouts of one transport's {@link BlockingReadSocket}s: a daemon thread
 * looks at every open socket each {@link #TICK_NANOS} and closes the ones whose read in progress
 * is past its deadline. A timeout therefore fires up to one tick late, which matters little
 * because the watched timeouts are at least {@value BlockingReadSocket#WATCHED_FROM_MILLIS} ms
 * and Okio's own watchdog usually fires first on HTTP reads.
 *
 * <p>A tick costs one pass over the open sockets; a read costs two plain stores and a clock
 * read, far less than the {@code poll} it saves. The thread starts with the first connected
 * socket and ends when none is left, so an idle mesh keeps no thread awake.
 */
final class ReadWatchdog {
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Set<BlockingReadSocket> sockets = ConcurrentHashMap.newKeySet();
  private final String threadName;
  private boolean running; // guarded by this

  ReadWatchdog(String threadName) {
    this.threadName = threadName;
  }

  void watch(BlockingReadSocket socket) {
    sockets.add(socket);
    if (socket.isClosed()) {
      sockets.remove(socket); // closed while connecting: close() ran before add()
      return;
    }
    synchronized (this) {
      if (!running) {
        running = true;
        Thread thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
      }
    }
  }

  void forget(BlockingReadSocket socket) {
    sockets.remove(socket);
  }

  /** Sockets connected and not yet closed. */
  int watchedCount() {
    return sockets.size();
  }

  /** Closes every watched socket whose read is overdue at {@code nowNanos}. */
  void sweep(long nowNanos) {
    for (BlockingReadSocket socket : sockets) {
      socket.closeIfOverdue(nowNanos);
    }
  }

  private void run() {
    while (true) {
      LockSupport.parkNanos(this, TICK_NANOS);
      synchronized (this) {
        // Checked under the lock that watch() starts threads under, so a socket added now either
        // keeps this thread going or starts a new one.
        if (sockets.isEmpty()) {
          running = false;
          return;
        }
      }
      sweep(System.nanoTime());
    }
  }
}

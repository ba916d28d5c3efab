package dev.meshwork.okhttp.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the read timeouts of one transport's {@link BlockingReadSocket}s: a daemon thread looks
 * at every open socket each {@link #TICK_NANOS} and closes the ones whose read in progress is past
 * its deadline. A timeout therefore fires up to one tick late, which matters little because the
 * watched timeouts are at least {@value BlockingReadSocket#WATCHED_FROM_MILLIS} ms and Okio's own
 * watchdog usually fires first on HTTP reads.
 *
 * <p>A tick costs one pass over the open sockets; a read costs a volatile load, a clock read and
 * two opaque stores, far less than the {@code poll} it saves. The thread starts with the first
 * connected socket and ends when none is open, so a mesh with no open connections keeps no thread
 * awake (pooled idle connections, kept up to 30 s, do).
 */
final class ReadWatchdog {
  private static final Logger log = LoggerFactory.getLogger(ReadWatchdog.class);
  static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Set<BlockingReadSocket> sockets = ConcurrentHashMap.newKeySet();
  private final MeshThreads threads;
  private boolean running; // guarded by this

  /**
   * @param threadPrefix names the watchdog's thread {@code <threadPrefix>-N}
   */
  ReadWatchdog(String threadPrefix) {
    this.threads = MeshThreads.named(threadPrefix);
  }

  void watch(BlockingReadSocket socket) {
    sockets.add(socket);
    if (socket.isClosed()) {
      // close() finished before add(); one still running removes it again itself.
      sockets.remove(socket);
      return;
    }
    ensureRunning();
  }

  private synchronized void ensureRunning() {
    if (!running) {
      threads
          .newThread(this::run)
          .start(); // may throw (no native thread left): running stays false, the next watch()
      // retries
      running = true;
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
      try {
        socket.closeIfOverdue(nowNanos);
      } catch (RuntimeException e) {
        // One socket's failure must not leave the others unwatched.
        log.warn("Read watchdog could not close a socket with an overdue read", e);
      }
    }
  }

  private void run() {
    boolean idle = false;
    try {
      while (true) {
        LockSupport.parkNanos(this, TICK_NANOS);
        synchronized (this) {
          // Checked under the lock that watch() starts threads under, so a socket added now
          // either keeps this thread going or starts a new one.
          if (sockets.isEmpty()) {
            running = false;
            idle = true;
            return;
          }
        }
        sweep(System.nanoTime());
      }
    } finally {
      if (!idle) {
        // Ended by an Error: let the next watch(), or this restart, carry on the sweeps.
        synchronized (this) {
          running = false;
        }
        if (!sockets.isEmpty()) {
          ensureRunning();
        }
      }
    }
  }
}

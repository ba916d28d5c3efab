package dev.meshwork.okhttp.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.internal.connection.ConnectionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's connection pool, with its idle-connection cleanup on a {@link LazyCleanupBackend}
 * of its own rather than OkHttp's process-wide runner.
 *
 * <p>Building such a pool needs a constructor OkHttp marks internal. If the OkHttp on the class
 * path lacks it, or its runner's backend has grown methods this mesh does not implement, the pool
 * is OkHttp's ordinary one (correct, only slower under load) and a warning says so.
 */
final class TransportPool {
  private static final Logger log = LoggerFactory.getLogger(TransportPool.class);

  /** Builds a pool whose cleanup runs on {@code backend}; may fail with a linkage error. */
  @FunctionalInterface
  interface LazyPoolFactory {
    ConnectionPool create(int maxIdle, Duration keepAlive, LazyCleanupBackend backend);
  }

  private final ConnectionPool pool;
  private final LazyCleanupBackend backend; // null when the pool is OkHttp's ordinary one

  private TransportPool(ConnectionPool pool, LazyCleanupBackend backend) {
    this.pool = pool;
    this.backend = backend;
  }

  static TransportPool create(int maxIdle, Duration keepAlive, Duration cleanupLag, String threadName) {
    return create(maxIdle, keepAlive, cleanupLag, threadName, TransportPool::lazyPool);
  }

  static TransportPool create(int maxIdle, Duration keepAlive, Duration cleanupLag, String threadName,
      LazyPoolFactory factory) {
    LazyCleanupBackend backend = new LazyCleanupBackend(cleanupLag, threadName);
    String reason;
    if (LazyCleanupBackend.fitsThisOkHttp()) {
      try {
        return new TransportPool(factory.create(maxIdle, keepAlive, backend), backend);
      } catch (LinkageError e) {
        reason = e.toString();
      }
    } else {
      reason = "its TaskRunner.Backend has methods this mesh does not implement";
    }
    log.warn("Meshwork: this OkHttp cannot take the transport's pool cleanup ({}); using OkHttp's own, "
        + "which wakes a thread whenever a connection goes idle", reason);
    return new TransportPool(new ConnectionPool(maxIdle, keepAlive.toMillis(), TimeUnit.MILLISECONDS), null);
  }

  private static ConnectionPool lazyPool(int maxIdle, Duration keepAlive, LazyCleanupBackend backend) {
    TaskRunner runner = new TaskRunner(backend, TaskRunner.Companion.getLogger());
    return new ConnectionPool(maxIdle, keepAlive.toMillis(), TimeUnit.MILLISECONDS, runner,
        ConnectionListener.Companion.getNONE());
  }

  ConnectionPool pool() {
    return pool;
  }

  /** The cleanup's backend, absent when this OkHttp could not take it. */
  Optional<LazyCleanupBackend> lazyCleanup() {
    return Optional.ofNullable(backend);
  }
}

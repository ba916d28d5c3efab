package dev.meshwork.okhttp.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport's connection pool, with its idle-connection cleanup on a {@link LazyCleanupBackend}
 * of its own rather than OkHttp's process-wide runner.
 *
 * <p>That backend needs OkHttp internal API. If it does not load or fit (another OkHttp version, or
 * OkHttp on the module path, which exports its internal packages to no one else), the pool is
 * OkHttp's ordinary one, correct and only slower under load, and a warning says so.
 */
final class TransportPool {
  private static final Logger log = LoggerFactory.getLogger(TransportPool.class);

  /** Builds the lazily cleaned pool; may throw a linkage error or an unchecked exception. */
  @FunctionalInterface
  interface LazyPoolFactory {
    LazyCleanupBackend.LazyPool create(
        int maxIdle, Duration keepAlive, Duration cleanupLag, String threadPrefix);
  }

  private final ConnectionPool pool;
  private final LazyCleanupBackend backend; // null when the pool is OkHttp's ordinary one

  private TransportPool(ConnectionPool pool, LazyCleanupBackend backend) {
    this.pool = pool;
    this.backend = backend;
  }

  static TransportPool create(
      int maxIdle, Duration keepAlive, Duration cleanupLag, String threadPrefix) {
    // A lambda, not a method reference: a reference would load LazyCleanupBackend where this
    // method links it, outside the try below that turns its failure into the fallback.
    return create(
        maxIdle,
        keepAlive,
        cleanupLag,
        threadPrefix,
        (idle, alive, lag, name) -> LazyCleanupBackend.newPool(idle, alive, lag, name));
  }

  static TransportPool create(
      int maxIdle,
      Duration keepAlive,
      Duration cleanupLag,
      String threadPrefix,
      LazyPoolFactory factory) {
    try {
      LazyCleanupBackend.LazyPool lazy =
          factory.create(maxIdle, keepAlive, cleanupLag, threadPrefix);
      return new TransportPool(lazy.pool(), lazy.backend());
    } catch (LinkageError | RuntimeException e) {
      log.warn(
          "Meshwork: this OkHttp cannot run the transport's pool cleanup ({}); using OkHttp's own, "
              + "which wakes a thread whenever a connection goes idle",
          e.toString());
      return new TransportPool(
          new ConnectionPool(maxIdle, keepAlive.toMillis(), TimeUnit.MILLISECONDS), null);
    }
  }

  ConnectionPool pool() {
    return pool;
  }

  /** The cleanup's backend, absent when this OkHttp could not take it. */
  Optional<LazyCleanupBackend> lazyCleanup() {
    return Optional.ofNullable(backend);
  }
}

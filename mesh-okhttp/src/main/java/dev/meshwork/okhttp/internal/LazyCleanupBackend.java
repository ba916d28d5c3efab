package dev.meshwork.okhttp.internal;

import dev.meshwork.core.spi.MeshThreads;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.ConnectionPool;
import okhttp3.internal.concurrent.TaskRunner;
import okhttp3.internal.connection.ConnectionListener;

/**
 * Runs one connection pool's cleanup without waking a thread each time a call gives its connection
 * back.
 *
 * <p>OkHttp reschedules the pool's cleanup to "now" whenever a connection goes idle. On OkHttp's
 * own runner that wakes the cleanup thread, which locks and scans every pooled connection and goes
 * back to sleep, once per call, while the callers queue on the runner's and the connections' locks.
 * This backend never wakes the sleeping coordinator early; it sleeps at most {@code lag}, so the
 * cleanup runs at most once per lag. Keep-alive expiry stays on time (the coordinator sleeps
 * exactly until the oldest idle connection expires when that is sooner); what waits up to one lag
 * is closing connections beyond the idle limit. The price: while any connection is pooled, the
 * coordinator wakes once per lag.
 *
 * <p>Everything here is OkHttp internal API, kept in this one class so that {@link TransportPool}
 * can fall back when it does not load or fit. Waiting and threads are left to OkHttp's own {@link
 * TaskRunner.RealBackend} of the same jar, which knows which lock its runner waits on.
 */
final class LazyCleanupBackend implements TaskRunner.Backend {
  private static final boolean FITS_THIS_OKHTTP = everyBackendMethodImplemented();
  private static final Duration IDLE_THREAD_KEEP_ALIVE = Duration.ofSeconds(2);

  private final long lagNanos;
  private final TaskRunner.RealBackend okHttpBackend;
  private final AtomicLong waits = new AtomicLong();
  private final Set<Thread> liveThreads = ConcurrentHashMap.newKeySet();

  /** A pool and the backend its cleanup runs on. */
  record LazyPool(ConnectionPool pool, LazyCleanupBackend backend) {}

  private LazyCleanupBackend(Duration lag, String threadPrefix) {
    if (lag.isNegative() || lag.isZero()) {
      throw new IllegalArgumentException("pool cleanup lag must be positive, was " + lag);
    }
    this.lagNanos = lag.toNanos();
    MeshThreads threads = MeshThreads.named(threadPrefix);
    this.okHttpBackend =
        new TaskRunner.RealBackend(
            runnable -> {
              Thread thread =
                  threads.newThread(
                      () -> {
                        try {
                          runnable.run();
                        } finally {
                          liveThreads.remove(Thread.currentThread());
                        }
                      });
              liveThreads.add(thread);
              return thread;
            });
    // OkHttp keeps an idle runner thread 60 s for its one process-wide runner; a runner per
    // transport should let its thread go soon after the transport's pool empties.
    okHttpBackend
        .getExecutor()
        .setKeepAliveTime(IDLE_THREAD_KEEP_ALIVE.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * A pool whose cleanup runs on a new backend of this kind.
   *
   * @throws IllegalStateException if OkHttp's backend has methods this class does not implement
   * @throws LinkageError if this OkHttp lacks the internal API used here
   */
  static LazyPool newPool(int maxIdle, Duration keepAlive, Duration lag, String threadPrefix) {
    if (!FITS_THIS_OKHTTP) {
      throw new IllegalStateException(
          "OkHttp's TaskRunner.Backend has methods this mesh does not implement");
    }
    LazyCleanupBackend backend = new LazyCleanupBackend(lag, threadPrefix);
    TaskRunner runner = new TaskRunner(backend, TaskRunner.Companion.getLogger());
    ConnectionPool pool =
        new ConnectionPool(
            maxIdle,
            keepAlive.toMillis(),
            TimeUnit.MILLISECONDS,
            runner,
            ConnectionListener.Companion.getNONE());
    return new LazyPool(pool, backend);
  }

  /** Whether every abstract method of OkHttp's backend interface is implemented here. */
  private static boolean everyBackendMethodImplemented() {
    for (Method required : TaskRunner.Backend.class.getMethods()) {
      if (!Modifier.isAbstract(required.getModifiers())) {
        continue;
      }
      try {
        Method own =
            LazyCleanupBackend.class.getMethod(required.getName(), required.getParameterTypes());
        if (Modifier.isAbstract(own.getModifiers())) {
          return false;
        }
      } catch (NoSuchMethodException e) {
        return false;
      }
    }
    return true;
  }

  @Override
  public long nanoTime() {
    return okHttpBackend.nanoTime();
  }

  @Override
  public void coordinatorNotify(TaskRunner taskRunner) {
    // Deliberately nothing: the coordinator wakes within the lag on its own.
  }

  @Override
  public void coordinatorWait(TaskRunner taskRunner, long nanos) {
    waits.incrementAndGet();
    try {
      okHttpBackend.coordinatorWait(taskRunner, Math.min(nanos, lagNanos));
    } catch (InterruptedException e) {
      // What OkHttp's runner does with an interrupted wait (the Kotlin interface declares no
      // checked exception to pass it on as): cancel every task and swallow the interrupt.
      taskRunner.cancelAll();
    }
  }

  @Override
  public <T> BlockingQueue<T> decorate(BlockingQueue<T> queue) {
    return okHttpBackend.decorate(queue);
  }

  @Override
  public void execute(TaskRunner taskRunner, Runnable runnable) {
    okHttpBackend.execute(taskRunner, runnable);
  }

  /** Threads this backend started that have not ended; for tests. */
  Set<Thread> liveThreads() {
    return Set.copyOf(liveThreads);
  }

  /** Times the coordinator went to sleep: once per cleanup run, plus once per lag while idle. */
  long coordinatorWaits() {
    return waits.get();
  }
}

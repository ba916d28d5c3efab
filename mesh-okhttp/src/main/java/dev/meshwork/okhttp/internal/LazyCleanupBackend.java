package dev.meshwork.okhttp.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.internal.concurrent.TaskRunner;

/**
 * Runs one connection pool's cleanup without waking a thread each time a call gives its
 * connection back.
 *
 * <p>OkHttp reschedules the pool's cleanup to "now" whenever a connection goes idle, which with
 * its own runner wakes the cleanup thread, has it lock and scan every pooled connection, and puts
 * it back to sleep: on every call. Under load that costs more CPU than the call's TLS. This
 * backend never wakes the waiting coordinator early; it sleeps at most {@code lag} instead, so
 * the cleanup runs at most once per lag, and an idle connection is closed up to one lag later
 * than its keep-alive says.
 *
 * <p>{@link TaskRunner.Backend} is OkHttp internal API: {@link #fitsThisOkHttp()} checks that
 * the interface still has only the methods implemented here before a pool is built on it.
 */
final class LazyCleanupBackend implements TaskRunner.Backend {
  private final long lagNanos;
  private final ThreadPoolExecutor executor;
  private final AtomicLong waits = new AtomicLong();

  LazyCleanupBackend(Duration lag, String threadName) {
    if (lag.isNegative() || lag.isZero()) {
      throw new IllegalArgumentException("pool cleanup lag must be positive, was " + lag);
    }
    this.lagNanos = lag.toNanos();
    // OkHttp's own backend's shape: threads on demand; one coordinates, another only while a task runs.
    this.executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 5, TimeUnit.SECONDS, new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }

  /** Whether every method OkHttp may call on a backend is implemented here. */
  static boolean fitsThisOkHttp() {
    for (Method required : TaskRunner.Backend.class.getMethods()) {
      if (required.isDefault() || Modifier.isStatic(required.getModifiers())) {
        continue;
      }
      try {
        Method own = LazyCleanupBackend.class.getMethod(required.getName(), required.getParameterTypes());
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
    return System.nanoTime();
  }

  @Override
  public void coordinatorNotify(TaskRunner taskRunner) {
    // Deliberately nothing: the coordinator wakes within the lag on its own.
  }

  /** Called by the runner with its monitor held, as OkHttp's own backend is. */
  @Override
  public void coordinatorWait(TaskRunner taskRunner, long nanos) {
    long wait = Math.min(nanos, lagNanos);
    if (wait <= 0) {
      return;
    }
    waits.incrementAndGet();
    try {
      taskRunner.wait(wait / 1_000_000L, (int) (wait % 1_000_000L));
    } catch (InterruptedException e) {
      // OkHttp's backend lets the interrupt cancel every task, ending the thread; do the same
      // without throwing a checked exception the Kotlin interface does not declare.
      taskRunner.cancelAll();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public <T> BlockingQueue<T> decorate(BlockingQueue<T> queue) {
    return queue;
  }

  @Override
  public void execute(TaskRunner taskRunner, Runnable runnable) {
    executor.execute(runnable);
  }

  /** Times the coordinator went to sleep: once per cleanup run, plus once per idle lag. */
  long coordinatorWaits() {
    return waits.get();
  }
}

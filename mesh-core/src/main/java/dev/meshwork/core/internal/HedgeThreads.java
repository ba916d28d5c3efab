package dev.meshwork.core.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads hedged attempts run on: daemon threads {@code meshwork-hedge-N}, created on first
 * use and idle ones ended after a minute, so a mesh that never hedges owns none. A hedged call
 * holds at most one thread per attempt, and attempts are bounded by the retry policy and the
 * service's concurrency limit.
 */
public final class HedgeThreads implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();
  private volatile ExecutorService executor;

  public ExecutorService executor() {
    ExecutorService current = executor;
    if (current == null) {
      synchronized (this) {
        current = executor;
        if (current == null) {
          current = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "meshwork-hedge-" + THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
          });
          executor = current;
        }
      }
    }
    return current;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

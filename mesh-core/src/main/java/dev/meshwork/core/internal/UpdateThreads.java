package dev.meshwork.core.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that apply discovery updates (new endpoint sets and balancer tables). Each service
 * uses at most one at a time, so a service whose update is slow (a large Maglev table) occupies
 * its own thread and never delays another service's. Threads are daemons, created on demand and
 * dropped after 30 s idle, so a mesh with static endpoints keeps none.
 */
public final class UpdateThreads implements Executor, AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
      new SynchronousQueue<>(), runnable -> {
        Thread thread = new Thread(runnable, "meshwork-discovery-update-" + THREADS.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });

  @Override
  public void execute(Runnable task) {
    executor.execute(task);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}

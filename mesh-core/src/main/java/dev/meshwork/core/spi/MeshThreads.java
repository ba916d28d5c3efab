package dev.meshwork.core.spi;

import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way Meshwork's modules make threads: daemon threads named {@code <prefix>-N}, so a mesh
 * never keeps the JVM alive and a thread dump says whose each thread is.
 */
public final class MeshThreads implements ThreadFactory {
  /** One count for every prefix, so two meshes' pools never have threads of the same name. */
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final String prefix;

  private MeshThreads(String prefix) {
    this.prefix = prefix;
  }

  /** A factory of daemon threads named {@code <prefix>-N}, N unique in the JVM. */
  public static MeshThreads named(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    return new MeshThreads(prefix);
  }

  /** A new, unstarted daemon thread named {@code <prefix>-N}. */
  @Override
  public Thread newThread(Runnable task) {
    Thread thread = new Thread(task, prefix + "-" + COUNT.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  }
}

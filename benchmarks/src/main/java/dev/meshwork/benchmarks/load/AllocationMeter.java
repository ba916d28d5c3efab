package dev.meshwork.benchmarks.load;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Heap bytes allocated so far by each live thread of this JVM ({@code
 * com.sun.management.ThreadMXBean}). The difference of two readings, thread by thread, is what the
 * threads alive at both readings allocated in between; a thread that ended in between is left out
 * rather than subtracted, so threads that end at the window's close (the load's callers) count
 * their own allocation with {@link #currentThread()}. Independent of how busy the machine is,
 * unlike a throughput.
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS = threads();

  private final Map<Long, Long> byThread;

  private AllocationMeter(Map<Long, Long> byThread) {
    this.byThread = byThread;
  }

  /** A reading now; empty when this JVM does not measure allocation per thread. */
  static AllocationMeter read() {
    Map<Long, Long> byThread = new HashMap<>();
    if (THREADS != null) {
      long[] ids = THREADS.getAllThreadIds();
      long[] bytes = THREADS.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        if (bytes[i] >= 0) {
          byThread.put(ids[i], bytes[i]);
        }
      }
    }
    return new AllocationMeter(byThread);
  }

  /** Bytes the calling thread has allocated so far; -1 when this JVM does not say. */
  static long currentThread() {
    return THREADS == null ? -1 : THREADS.getCurrentThreadAllocatedBytes();
  }

  /**
   * Bytes allocated between {@code before} and this reading by threads other than {@code excluded};
   * -1 when either reading is empty.
   */
  long since(AllocationMeter before, Set<Long> excluded) {
    if (byThread.isEmpty() || before.byThread.isEmpty()) {
      return -1;
    }
    long total = 0;
    for (Map.Entry<Long, Long> thread : byThread.entrySet()) {
      if (!excluded.contains(thread.getKey())) {
        total += thread.getValue() - before.byThread.getOrDefault(thread.getKey(), 0L);
      }
    }
    return total;
  }

  private static com.sun.management.ThreadMXBean threads() {
    return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
            && threads.isThreadAllocatedMemorySupported()
            && threads.isThreadAllocatedMemoryEnabled()
        ? threads
        : null;
  }
}

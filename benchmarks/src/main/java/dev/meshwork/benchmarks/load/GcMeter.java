package dev.meshwork.benchmarks.load;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The harness JVM's garbage collections so far: how many and their accumulated time. For G1's young
 * and mixed collections that time is the stop-the-world pause, during which every caller waits; at
 * a fixed rate a few long pauses decide the p99, so the report shows them beside it.
 */
record GcMeter(long collections, long millis) {
  static GcMeter read() {
    long collections = 0;
    long millis = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      collections += Math.max(0, collector.getCollectionCount());
      millis += Math.max(0, collector.getCollectionTime());
    }
    return new GcMeter(collections, millis);
  }

  /** What happened between {@code before} and this reading. */
  GcMeter since(GcMeter before) {
    return new GcMeter(collections - before.collections, millis - before.millis);
  }
}

package dev.meshwork.reliability;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.okhttp.MeshOkHttp;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the process and the mesh hold at one moment, for the soak's before and after: live threads
 * (and how many are the transport's call threads, whose number follows the load and which idle out
 * after 60 s), open file descriptors, pooled connections, the heap retained after full collections,
 * and the mesh's per-call structures as its public views show them (requests in flight per
 * endpoint, queued and running async calls, kept decisions, meters).
 *
 * @param threads live threads
 * @param callThreads of which the transport's call threads ({@code meshwork-okhttp-N})
 * @param descriptors open file descriptors ({@code /proc/self/fd}); -1 where there is none
 * @param pooled connections in the mesh's pool
 * @param idle of which idle
 * @param heapBytes heap in use after full collections
 * @param inFlight requests in flight on the service's endpoints (mesh snapshot)
 * @param dispatched async calls running or queued in the mesh's dispatcher
 * @param decisions decisions the mesh keeps
 * @param meters the meters in the mesh's registry, by name and tags
 */
record Resources(
    int threads,
    int callThreads,
    long descriptors,
    int pooled,
    int idle,
    long heapBytes,
    int inFlight,
    int dispatched,
    int decisions,
    Set<String> meters) {

  static Resources take(Mesh mesh, MeshOkHttp http, MeterRegistry registry, String service)
      throws InterruptedException {
    long heap = retainedHeap();
    MeshSnapshot snapshot = mesh.snapshot();
    int inFlight = 0;
    for (EndpointStatus endpoint : snapshot.service(service).endpoints()) {
      inFlight += endpoint.activeRequests();
    }
    int callThreads = 0;
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("meshwork-okhttp-")) {
        callThreads++;
      }
    }
    return new Resources(
        ManagementFactory.getThreadMXBean().getThreadCount(),
        callThreads,
        openDescriptors(),
        http.connectionPool().connectionCount(),
        http.connectionPool().idleConnectionCount(),
        heap,
        inFlight,
        http.dispatcher().runningCallsCount() + http.dispatcher().queuedCallsCount(),
        snapshot.decisions().size(),
        meterIds(registry));
  }

  /**
   * The heap in use after full collections: collected until two readings agree within 1% (at most
   * five times), the lower of the last two.
   */
  static long retainedHeap() throws InterruptedException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long previous = Long.MAX_VALUE;
    long used = 0;
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = memory.getHeapMemoryUsage().getUsed();
      if (Math.abs(used - previous) <= previous / 100) {
        break;
      }
      previous = used;
    }
    return Math.min(used, previous);
  }

  static long openDescriptors() {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> open = Files.list(fds)) {
      return open.count() - 1; // the listing's own descriptor
    } catch (IOException e) {
      return -1;
    }
  }

  private static Set<String> meterIds(MeterRegistry registry) {
    Set<String> ids = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      ids.add(meter.getId().getName() + meter.getId().getTags());
    }
    return ids;
  }

  /** Threads other than the transport's call threads. */
  int otherThreads() {
    return threads - callThreads;
  }

  /** Descriptors other than pooled connections' sockets. */
  long otherDescriptors() {
    return descriptors - pooled;
  }
}

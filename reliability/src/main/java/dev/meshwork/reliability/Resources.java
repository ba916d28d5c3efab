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
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the process and the mesh hold at one moment with no call in flight, for the soak's before
 * and after: live threads (and how many are the transport's call threads, whose number follows the
 * load and which idle out after 60 s), pooled connections, open file descriptors once the idle
 * connections are evicted, the heap retained after full collections, and the mesh's per-call
 * structures as its public views show them (requests in flight per endpoint, queued and running
 * async calls, kept decisions, meters). Taking it evicts the pool's idle connections.
 *
 * @param threads live threads
 * @param callThreads of which the transport's call threads ({@code meshwork-okhttp-N})
 * @param pooled connections in the mesh's pool
 * @param idle of which idle
 * @param held connections still in the pool once its idle ones are evicted: held by a call although
 *     none is in flight
 * @param descriptors open file descriptors ({@code /proc/self/fd}) once the idle connections are
 *     evicted; -1 where there is none
 * @param channels of which sockets, pipes and event descriptors: not regular files (a jar first
 *     opened when a class is first needed, after the warm-up, is not a leak)
 * @param heapBytes heap in use after full collections
 * @param inFlight requests in flight on the service's endpoints (mesh snapshot)
 * @param dispatched async calls running or queued in the mesh's dispatcher
 * @param decisions decisions the mesh keeps
 * @param meters the meters in the mesh's registry, by name and tags
 * @param otherThreads the threads other than call threads, counted by name without its number
 */
record Resources(
    int threads,
    int callThreads,
    int pooled,
    int idle,
    int held,
    long descriptors,
    long channels,
    long heapBytes,
    int inFlight,
    int dispatched,
    int decisions,
    Set<String> meters,
    Map<String, Integer> otherThreads) {

  static Resources take(Mesh mesh, MeshOkHttp http, MeterRegistry registry, String service)
      throws InterruptedException {
    long heap = retainedHeap();
    MeshSnapshot snapshot = mesh.snapshot();
    int inFlight = 0;
    for (EndpointStatus endpoint : snapshot.service(service).endpoints()) {
      inFlight += endpoint.activeRequests();
    }
    int callThreads = 0;
    Map<String, Integer> others = new TreeMap<>();
    for (Map.Entry<Thread, StackTraceElement[]> entry : Thread.getAllStackTraces().entrySet()) {
      Thread thread = entry.getKey();
      if (thread.getName().startsWith("meshwork-okhttp-")) {
        callThreads++;
      } else if (thread.getName().startsWith("OkHttp TaskRunner") && idleWorker(entry.getValue())) {
        // OkHttp's shared task runner keeps a worker waiting for 60 s after its last task; an idle
        // one is no leak, while one still running a task counts below.
        continue;
      } else {
        others.merge(thread.getName().replaceAll("[-# ]?[0-9]+$", ""), 1, Integer::sum);
      }
    }
    int pooled = http.connectionPool().connectionCount();
    int idle = http.connectionPool().idleConnectionCount();
    // Without the idle connections (closed here, at once), every socket left is a leak candidate.
    http.connectionPool().evictAll();
    return new Resources(
        ManagementFactory.getThreadMXBean().getThreadCount(),
        callThreads,
        pooled,
        idle,
        http.connectionPool().connectionCount(),
        openDescriptors(false),
        openDescriptors(true),
        heap,
        inFlight,
        http.dispatcher().runningCallsCount() + http.dispatcher().queuedCallsCount(),
        snapshot.decisions().size(),
        meterIds(registry),
        others);
  }

  /** Whether a pool thread's stack shows it waiting for its next task. */
  private static boolean idleWorker(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
          && frame.getMethodName().equals("getTask")) {
        return true;
      }
    }
    return false;
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

  /** Open descriptors; with {@code channelsOnly}, those that are not regular files. */
  static long openDescriptors(boolean channelsOnly) {
    Path fds = Path.of("/proc/self/fd");
    if (!Files.isDirectory(fds)) {
      return -1;
    }
    try (Stream<Path> open = Files.list(fds)) {
      // The listing's own descriptor is a directory: not a channel, and not counted either way.
      return open.filter(fd -> !channelsOnly || isChannel(fd)).count() - (channelsOnly ? 0 : 1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static boolean isChannel(Path fd) {
    try {
      return !Files.readSymbolicLink(fd).toString().startsWith("/");
    } catch (IOException | UnsupportedOperationException gone) {
      return false; // closed meanwhile
    }
  }

  private static Set<String> meterIds(MeterRegistry registry) {
    Set<String> ids = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      ids.add(meter.getId().getName() + meter.getId().getTags());
    }
    return ids;
  }

  /**
   * The kinds of thread (by name) of which there are more now than {@code before}. The pool's one
   * cleanup thread runs while the pool holds connections and ends within a second of its emptying,
   * so it may be there at either moment; more than one would count.
   */
  Map<String, Integer> threadsAddedSince(Resources before) {
    Map<String, Integer> added = new TreeMap<>();
    otherThreads.forEach(
        (name, count) -> {
          int then = before.otherThreads().getOrDefault(name, 0);
          if (name.equals("meshwork-pool-cleanup") && count <= 1) {
            return;
          }
          if (count > then) {
            added.put(name, count - then);
          }
        });
    return added;
  }
}

package dev.meshwork.benchmarks.load;

import java.util.function.ToDoubleFunction;

/** A number read from each run, and how the report shows it. */
enum Metric {
  THROUGHPUT("calls/s", LoadResult::throughput, "%,.0f"),
  P50("p50 µs", r -> r.latencyMicros(50), "%,.0f"),
  P99("p99 µs", r -> r.latencyMicros(99), "%,.0f"),
  CPU_CLIENT("CPU client JVM", r -> r.cpuPer1000("client"), "%.3f"),
  CPU_PROXY("CPU HAProxy", r -> r.cpuPer1000("proxy"), "%.3f"),
  /** What the CPU target compares: the caller's own process plus its sidecar, if any. */
  CPU_CLIENT_AND_PROXY("CPU client + sidecar", r -> r.cpuPer1000("client", "proxy"), "%.3f"),
  CPU_BACKEND("CPU nginx", r -> r.cpuPer1000("backend"), "%.3f"),
  /** Collections in the window; each pauses every caller of the harness JVM. */
  GC_COLLECTIONS("GCs", r -> r.gc().collections(), "%.0f"),
  GC_MILLIS("GC ms", r -> r.gc().millis(), "%,.0f"),
  /** Heap bytes the client JVM allocated per call: what a small heap turns into collections. */
  ALLOCATION("alloc B/call", LoadResult::allocatedPerCall, "%,.0f"),
  /**
   * Connections nginx accepted per 1,000 calls: near 0 when the client's pool keeps its connections
   * (with TLS, every new one is a handshake).
   */
  CONNECTIONS("new conns/1k calls", LoadResult::connectionsPer1000, "%,.1f");

  final String label;
  final ToDoubleFunction<LoadResult> read;
  final String format;

  Metric(String label, ToDoubleFunction<LoadResult> read, String format) {
    this.label = label;
    this.read = read;
    this.format = format;
  }
}

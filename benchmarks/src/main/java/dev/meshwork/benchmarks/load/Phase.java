package dev.meshwork.benchmarks.load;

/** A part of a run: which scenarios, driven how, against how many endpoints. */
enum Phase {
  /** Closed loop against one endpoint: throughput, and latency at saturation. */
  CLOSED("closed loop, 1 endpoint", false, false),
  /**
   * One fixed rate for every scenario against one endpoint: latency at the same load, CPU per call.
   */
  FIXED("fixed rate, 1 endpoint", true, false),
  /** Closed loop spread over every endpoint: where the balancer matters. */
  ENDPOINTS("closed loop, all endpoints", false, true),
  /**
   * Closed loop against one endpoint at each of several caller counts: where each scenario peaks,
   * and how the ratios move with the number of calls in flight. Not run by default; its results are
   * kept apart from the other phases' ({@link SweepReport}).
   */
  SWEEP("closed loop by callers, 1 endpoint", false, false),
  /**
   * Per-JVM mode only: each scenario's long-lived JVM, from its start, in closed loop against one
   * endpoint: calls per second for each second after the JVM started, and how soon each scenario
   * reaches its steady rate ({@link StartupReport}). This load is also the warm-up of the phases
   * that run on the same JVMs (closed, fixed, endpoints).
   */
  STARTUP("closed loop from JVM start, 1 endpoint", false, false),
  /**
   * Per-JVM mode only: closed loop against one endpoint in a fresh JVM for every scenario and
   * round, measured after a short warm-up: what an application sees in its first seconds.
   */
  COLD("closed loop, fresh JVM each round, 1 endpoint", false, false);

  final String title;
  final boolean fixedRate;
  final boolean allEndpoints;

  Phase(String title, boolean fixedRate, boolean allEndpoints) {
    this.title = title;
    this.fixedRate = fixedRate;
    this.allEndpoints = allEndpoints;
  }
}

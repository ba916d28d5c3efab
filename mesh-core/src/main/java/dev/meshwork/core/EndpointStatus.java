package dev.meshwork.core;

import java.time.Duration;

/**
 * What the mesh knows of one endpoint right now, for dashboards, the admin view and logs.
 *
 * @param endpoint the endpoint as discovery describes it
 * @param ejected whether outlier detection has taken it out of balancing
 * @param ejections the ejection multiplier (times ejected, less one per healthy interval since)
 * @param healthy whether it passes its active health checks (always {@code true} without them)
 * @param activeRequests attempts in flight on it
 * @param successes attempts that got an answer below 500, since it appeared
 * @param failures attempts that failed or got a 5xx answer, since it appeared
 * @param ejectionRemaining how long it stays ejected; zero when it is not
 * @param latency its recent latency (a moving average, decayed while it gets no calls)
 */
public record EndpointStatus(
    Endpoint endpoint,
    boolean ejected,
    int ejections,
    boolean healthy,
    int activeRequests,
    long successes,
    long failures,
    Duration ejectionRemaining,
    Duration latency) {

  /** Whether calls may use it: neither ejected nor failing its health checks. */
  public boolean usable() {
    return !ejected && healthy;
  }
}

package dev.meshwork.core;

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
 */
public record EndpointStatus(Endpoint endpoint, boolean ejected, int ejections, boolean healthy, int activeRequests, long successes,
    long failures) {
}

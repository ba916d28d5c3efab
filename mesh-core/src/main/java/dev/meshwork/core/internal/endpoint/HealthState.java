package dev.meshwork.core.internal.endpoint;

/**
 * The active health of one endpoint address: streaks of passed and failed probes. Probe results
 * arrive from the transport's threads, so updates are serialised on this object; calls read only
 * the volatile flag.
 */
public final class HealthState {
  private volatile boolean healthy = true;
  private int passes;
  private int failures;

  public boolean healthy() {
    return healthy;
  }

  /** Records a probe; returns {@code true} when the endpoint's health flipped. */
  public synchronized boolean record(boolean passed, int healthyThreshold, int unhealthyThreshold) {
    if (passed) {
      failures = 0;
      passes++;
      if (!healthy && passes >= healthyThreshold) {
        healthy = true;
        return true;
      }
    } else {
      passes = 0;
      failures++;
      if (healthy && failures >= unhealthyThreshold) {
        healthy = false;
        return true;
      }
    }
    return false;
  }

  /**
   * Forgets the probes: the endpoint counts as healthy again, as without health checks. Returns
   * whether it was unhealthy.
   */
  public synchronized boolean reset() {
    boolean was = !healthy;
    healthy = true;
    passes = 0;
    failures = 0;
    return was;
  }
}

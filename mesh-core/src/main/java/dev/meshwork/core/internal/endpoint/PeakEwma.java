package dev.meshwork.core.internal.endpoint;

/**
 * The arithmetic of a peak-sensitive moving average of an endpoint's latency, after Finagle's and
 * Linkerd's peak-EWMA: a sample above the estimate replaces it at once (so a slowing endpoint is
 * noticed on its first slow answer), a lower one is blended in with weight {@code 1 -
 * e^(-elapsed/decay)}, and reads decay the estimate toward zero so an idle endpoint is eventually
 * tried again.
 *
 * <p>The state itself (estimate and time of the last sample) lives in two fields of {@link
 * EndpointStats}, not in an object of its own: a pick reads it for two random endpoints out of
 * possibly thousands, and every pointer hop there is a likely cache miss.
 */
public final class PeakEwma {
  /** Assumed latency before the first sample: 30 ms, as in Finagle and Linkerd. */
  public static final long DEFAULT_RTT_NANOS = 30_000_000L;

  /** Time constant of the decay: 10 s. */
  public static final long DECAY_NANOS = 10_000_000_000L;

  private PeakEwma() {}

  /**
   * The estimate after a sample of {@code rttNanos}, {@code elapsedNanos} after the previous one.
   *
   * @param estimateNanos the current estimate, or a negative number before the first sample
   */
  static double next(double estimateNanos, long elapsedNanos, long rttNanos) {
    if (estimateNanos < 0 || rttNanos > estimateNanos) {
      return rttNanos;
    }
    double weight = decay(elapsedNanos);
    return estimateNanos * weight + rttNanos * (1 - weight);
  }

  /**
   * Whether {@code a}'s expected wait, its estimate now times {@code loadA}, is below {@code b}'s
   * times {@code loadB}. Both estimates decay by the same factor from the later of their two
   * samples until now, so the comparison needs only the decay between the two samples: the same
   * answer as comparing {@link EndpointStats#latencyEstimateNanos} at any common time, without a
   * clock read and with one {@code exp} instead of two. A pick does this for every call.
   */
  public static boolean lowerWait(EndpointStats a, double loadA, EndpointStats b, double loadB) {
    double waitA = a.latencyEstimateAtSampleNanos() * loadA;
    double waitB = b.latencyEstimateAtSampleNanos() * loadB;
    long gap = a.latencyAtNanos() - b.latencyAtNanos();
    // Decay the older sample's wait to the time of the newer one.
    return gap >= 0 ? waitA < waitB * decay(gap) : waitA * decay(-gap) < waitB;
  }

  /** {@code e^(-elapsed/decay)}; 1 for a negative elapsed time (a racing sample stamped later). */
  static double decay(long elapsedNanos) {
    return Math.exp(-Math.max(0, elapsedNanos) / (double) DECAY_NANOS);
  }
}

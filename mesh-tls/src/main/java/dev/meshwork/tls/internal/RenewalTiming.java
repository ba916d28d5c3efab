package dev.meshwork.tls.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * When to renew a leaf: at half its lifetime plus a random extra of up to a tenth of it, so a fleet
 * started together does not renew together, and so a renewal that fails still has 40% of the
 * lifetime left to be retried in.
 */
public final class RenewalTiming {
  /** Renewal starts at this fraction of the leaf's lifetime. */
  public static final double RENEWAL_FRACTION = 0.5;

  /** The random extra is at most this fraction of the leaf's lifetime. */
  public static final double MAX_JITTER_FRACTION = 0.1;

  private RenewalTiming() {}

  /**
   * The instant to renew a leaf issued at {@code issuedAt} that expires at {@code notAfter}.
   *
   * @param uniform a random number in [0, 1) choosing the jitter
   * @param minimumDelay the earliest renewal after issuance, which stops a renewal storm when the
   *     CA can only issue very short leaves (for example near its own expiry)
   */
  public static Instant renewalTime(
      Instant issuedAt, Instant notAfter, double uniform, Duration minimumDelay) {
    if (!(uniform >= 0 && uniform < 1)) {
      throw new IllegalArgumentException("uniform " + uniform + " is not in [0, 1)");
    }
    long lifetime = Math.max(0, Duration.between(issuedAt, notAfter).toMillis());
    long base = (long) (lifetime * RENEWAL_FRACTION);
    long maxJitter = (long) (lifetime * MAX_JITTER_FRACTION);
    long jitter = Math.min(maxJitter, (long) (lifetime * MAX_JITTER_FRACTION * uniform));
    long delay = Math.max(base + jitter, minimumDelay.toMillis());
    return issuedAt.plusMillis(delay);
  }
}

package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;

/**
 * Shadow traffic: a copy of {@code percent} of a route's calls goes to {@code subset} on a mesh
 * thread, and its answer is thrown away. The caller never waits for it and never sees its failure.
 * At most {@code maxInFlight} copies of the route are outstanding (the count carries over a live
 * route swap that keeps the route's name and bound); beyond that, copies are dropped rather than
 * queued, so a slow mirror cannot exhaust threads or memory. Copies carry the header {@value
 * #HEADER} so the mirror can tell them apart; requests with a body the transport can send only once
 * are not copied.
 *
 * @param subset where the copies go
 * @param percent share of the route's calls copied, 0..100
 * @param maxInFlight copies of the route outstanding at once before new ones are dropped; default
 *     32
 * @param timeout how long one copy may take before it is abandoned; default 5 s
 */
public record Mirror(String subset, double percent, int maxInFlight, Duration timeout) {
  /** Marks a mirrored copy. */
  public static final String HEADER = "x-mesh-shadow";

  public static final int DEFAULT_MAX_IN_FLIGHT = 32;
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  public Mirror {
    if (subset == null || subset.isBlank()) {
      throw new MeshConfigException("mirror subset", subset, "the name of a subset");
    }
    Validate.percent("mirror percent", percent);
    if (maxInFlight < 1) {
      throw new MeshConfigException("mirror maxInFlight", maxInFlight, "at least 1");
    }
    Validate.positive("mirror timeout", timeout);
  }

  /** Copies {@code percent} of calls to {@code subset}, with the default bounds. */
  public static Mirror of(String subset, double percent) {
    return new Mirror(subset, percent, DEFAULT_MAX_IN_FLIGHT, DEFAULT_TIMEOUT);
  }

  @Override
  public String toString() {
    return "Mirror{"
        + percent
        + "% to "
        + subset
        + ", maxInFlight="
        + maxInFlight
        + ", timeout="
        + timeout.toMillis()
        + " ms}";
  }
}

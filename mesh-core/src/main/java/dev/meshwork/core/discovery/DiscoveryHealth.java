package dev.meshwork.core.discovery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a service's discovery is doing: whether its source answers, when it last gave a good answer,
 * and what went wrong last. Read it with {@code Mesh.discoveryHealth(service)}; a composite source
 * (see {@code DiscoverySources.merged} in mesh-discovery) lists one entry per child in {@link
 * #parts()}.
 *
 * <p>While a source fails the mesh keeps using the endpoints of its last good answer, so {@link
 * #staleness(Instant)} (the age of that answer) is the number to alert on, not the failure itself.
 *
 * @param source the source's {@link DiscoverySource#describe() description}
 * @param status see {@link Status}
 * @param lastGoodAnswer when the source last gave an authoritative answer, or {@code null} if never
 * @param lastErrorAt when the source last failed, or {@code null} if never
 * @param lastError what the last failure said, or {@code null} if it never failed
 * @param parts the health of each child of a composite source; empty for a simple source
 */
public record DiscoveryHealth(
    String source,
    Status status,
    Instant lastGoodAnswer,
    Instant lastErrorAt,
    String lastError,
    List<DiscoveryHealth> parts) {

  /** The state of a source. */
  public enum Status {
    /** No answer and no failure yet (for a composite: some child has not answered, none fails). */
    WAITING,
    /** The last attempt gave a good answer (for a composite: every child's did). */
    HEALTHY,
    /** A composite source some of whose children fail while others answer. */
    DEGRADED,
    /** The last attempt failed; the endpoints of the last good answer, if any, stay in use. */
    FAILING
  }

  /** Copies the parts. */
  public DiscoveryHealth {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(status, "status");
    parts = List.copyOf(parts);
  }

  /** The health of a source that has not answered or failed yet. */
  public static DiscoveryHealth waiting(String source) {
    return new DiscoveryHealth(source, Status.WAITING, null, null, null, List.of());
  }

  /** This health after a good answer at {@code at}; the last error is kept for the record. */
  public DiscoveryHealth answered(Instant at) {
    return new DiscoveryHealth(source, Status.HEALTHY, at, lastErrorAt, lastError, parts);
  }

  /** This health after a failure at {@code at} saying {@code error}. */
  public DiscoveryHealth failed(Instant at, String error) {
    return new DiscoveryHealth(source, Status.FAILING, lastGoodAnswer, at, error, parts);
  }

  /**
   * The health of a composite source: its status summarises the parts, its last good answer is the
   * oldest of theirs (the stalest data in use) and its last error the newest of theirs.
   */
  public static DiscoveryHealth combine(String source, List<DiscoveryHealth> parts) {
    int healthy = 0;
    int failing = 0;
    Instant oldestGood = null;
    boolean everyPartAnswered = true;
    DiscoveryHealth newestError = null;
    for (DiscoveryHealth part : parts) {
      healthy += part.status == Status.HEALTHY ? 1 : 0;
      failing += part.status == Status.FAILING ? 1 : 0;
      if (part.lastGoodAnswer == null) {
        everyPartAnswered = false;
      } else if (oldestGood == null || part.lastGoodAnswer.isBefore(oldestGood)) {
        oldestGood = part.lastGoodAnswer;
      }
      if (part.lastErrorAt != null
          && (newestError == null || part.lastErrorAt.isAfter(newestError.lastErrorAt))) {
        newestError = part;
      }
    }
    Status status =
        healthy == parts.size() && !parts.isEmpty()
            ? Status.HEALTHY
            : failing == 0 ? Status.WAITING : healthy == 0 ? Status.FAILING : Status.DEGRADED;
    return new DiscoveryHealth(
        source,
        status,
        everyPartAnswered ? oldestGood : null,
        newestError == null ? null : newestError.lastErrorAt,
        newestError == null ? null : newestError.source + ": " + newestError.lastError,
        parts);
  }

  /** True when the last attempt (of every part) gave a good answer. */
  public boolean healthy() {
    return status == Status.HEALTHY;
  }

  /** How old the last good answer is at {@code now}; empty when there never was one. */
  public Optional<Duration> staleness(Instant now) {
    return lastGoodAnswer == null
        ? Optional.empty()
        : Optional.of(Duration.between(lastGoodAnswer, now));
  }
}

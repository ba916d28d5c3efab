package dev.meshwork.core.spi;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.endpoint.AddressIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Where a service's endpoints come from. A source pushes whole {@link EndpointSnapshot snapshots}
 * to the mesh whenever it learns something new.
 *
 * <p>Contract for implementations:
 *
 * <ul>
 *   <li>{@link #watch} returns quickly; slow work (queries, watches) runs on the context's
 *       scheduler or the source's own threads, never on the caller's.
 *   <li>Publish a snapshot only for an authoritative answer. When the source itself fails, call
 *       {@link DiscoveryListener#onError} instead: the mesh keeps the last good endpoints.
 *   <li>Stop publishing once the returned {@link Watch} is closed.
 * </ul>
 *
 * <p>Nested here: what the mesh lends a source ({@link DiscoveryContext}), where it publishes
 * ({@link DiscoveryListener}, {@link EndpointSnapshot}), what it returns ({@link Watch}), and how
 * it is doing ({@link DiscoveryHealth}, which applications read too).
 */
public interface DiscoverySource {

  /**
   * Starts following {@code service}, delivering snapshots to {@code listener} until the result is
   * closed. A source may publish the first snapshot before this method returns.
   */
  Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context);

  /** A short description for errors and the admin view, for example {@code static[3 endpoints]}. */
  String describe();

  /**
   * What the mesh lends a {@link DiscoverySource}: its clock, and its small background scheduler
   * for refreshes. Sources must not shut the scheduler down; the mesh owns it.
   */
  interface DiscoveryContext {

    /** The mesh's clock. */
    MeshClock clock();

    /**
     * The mesh's shared background scheduler, made by its clock ({@link MeshClock#newScheduler}): a
     * daemon thread named {@code meshwork-background-N} on real time, or a test clock's, whose
     * delays pass as the test moves the clock.
     */
    ScheduledExecutorService scheduler();
  }

  /**
   * Receives what a {@link DiscoverySource} learns about one service. Implementations are
   * thread-safe.
   */
  interface DiscoveryListener {

    /** The source has an authoritative new set of endpoints; it replaces the previous one whole. */
    void onSnapshot(EndpointSnapshot snapshot);

    /** The source could not answer; the last good snapshot stays in use. */
    void onError(Throwable error);
  }

  /** A running {@link DiscoverySource#watch watch}; closing it stops its updates. Idempotent. */
  @FunctionalInterface
  interface Watch extends AutoCloseable {

    @Override
    void close();

    /**
     * The source's own account of its health, for sources that know more than the listener
     * callbacks tell (a composite source reports each child). Empty by default: the mesh then
     * derives the health from the {@link DiscoveryListener} callbacks it received.
     */
    default Optional<DiscoveryHealth> health() {
      return Optional.empty();
    }
  }

  /**
   * How a service's discovery is doing: whether its source answers, when it last gave a good
   * answer, and what went wrong last. Read it with {@code Mesh.discoveryHealth(service)}; a
   * composite source (see {@code DiscoverySources.merged} in mesh-discovery) lists one entry per
   * child in {@link #parts()}.
   *
   * <p>While a source fails the mesh keeps using the endpoints of its last good answer, so {@link
   * #staleness(Instant)} (the age of that answer) is the number to alert on, not the failure
   * itself.
   *
   * @param source the source's {@link DiscoverySource#describe() description}
   * @param status see {@link Status}
   * @param lastGoodAnswer when the source last gave an authoritative answer; empty if it never did
   * @param lastErrorAt when the source last failed; empty if it never did
   * @param lastError what the last failure said; empty if it never failed
   * @param parts the health of each child of a composite source; empty for a simple source
   */
  record DiscoveryHealth(
      String source,
      Status status,
      Optional<Instant> lastGoodAnswer,
      Optional<Instant> lastErrorAt,
      Optional<String> lastError,
      List<DiscoveryHealth> parts) {

    /** The state of a source. */
    public enum Status {
      /**
       * No answer and no failure yet (for a composite: some child has not answered, none fails).
       */
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
      Objects.requireNonNull(lastGoodAnswer, "lastGoodAnswer (Optional.empty() for never)");
      Objects.requireNonNull(lastErrorAt, "lastErrorAt (Optional.empty() for never)");
      Objects.requireNonNull(lastError, "lastError (Optional.empty() for never)");
      parts = List.copyOf(parts);
    }

    /** The health of a source that has not answered or failed yet. */
    public static DiscoveryHealth waiting(String source) {
      return new DiscoveryHealth(
          source, Status.WAITING, Optional.empty(), Optional.empty(), Optional.empty(), List.of());
    }

    /** This health after a good answer at {@code at}; the last error is kept for the record. */
    public DiscoveryHealth answered(Instant at) {
      return new DiscoveryHealth(
          source, Status.HEALTHY, Optional.of(at), lastErrorAt, lastError, parts);
    }

    /** This health after a failure at {@code at} saying {@code error}. */
    public DiscoveryHealth failed(Instant at, String error) {
      return new DiscoveryHealth(
          source,
          Status.FAILING,
          lastGoodAnswer,
          Optional.of(at),
          Optional.ofNullable(error),
          parts);
    }

    /**
     * The health of a composite source: its status summarises the parts, its last good answer is
     * the oldest of theirs (the stalest data in use) and its last error the newest of theirs.
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
        if (part.lastGoodAnswer.isEmpty()) {
          everyPartAnswered = false;
        } else if (oldestGood == null || part.lastGoodAnswer.get().isBefore(oldestGood)) {
          oldestGood = part.lastGoodAnswer.get();
        }
        if (part.lastErrorAt.isPresent()
            && (newestError == null
                || part.lastErrorAt.get().isAfter(newestError.lastErrorAt.get()))) {
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
          everyPartAnswered ? Optional.ofNullable(oldestGood) : Optional.empty(),
          newestError == null ? Optional.empty() : newestError.lastErrorAt,
          newestError == null
              ? Optional.empty()
              : Optional.of(newestError.source + ": " + newestError.lastError.orElse(null)),
          parts);
    }

    /** True when the last attempt (of every part) gave a good answer. */
    public boolean healthy() {
      return status == Status.HEALTHY;
    }

    /** How old the last good answer is at {@code now}; empty when there never was one. */
    public Optional<Duration> staleness(Instant now) {
      return lastGoodAnswer.map(at -> Duration.between(at, now));
    }
  }

  /**
   * The complete, immutable set of endpoints of one service at one moment.
   *
   * <p>Discovery sources publish whole snapshots rather than deltas: the mesh swaps the previous
   * snapshot for the new one atomically, so a call sees either all of an update or none of it.
   *
   * @param service the service the endpoints belong to
   * @param endpoints the instances, in the order the source listed them; addresses are unique
   */
  record EndpointSnapshot(ServiceName service, List<Endpoint> endpoints) {

    /** Copies the list and refuses two endpoints with the same address. */
    public EndpointSnapshot {
      Objects.requireNonNull(service, "service");
      endpoints = List.copyOf(endpoints);
      AddressIndex seen = new AddressIndex(endpoints);
      for (int i = 0; i < endpoints.size(); i++) {
        if (seen.add(i) >= 0) {
          throw new MeshConfigException(
              "service '" + service + "' endpoint #" + (i + 1),
              endpoints.get(i).address(),
              "each address to appear once");
        }
      }
    }

    /** A snapshot of {@code endpoints} for {@code service}. */
    public static EndpointSnapshot of(ServiceName service, List<Endpoint> endpoints) {
      return new EndpointSnapshot(service, endpoints);
    }

    /** An empty snapshot: the service currently has no instances. */
    public static EndpointSnapshot empty(ServiceName service) {
      return new EndpointSnapshot(service, List.of());
    }

    /** True when the service has no instances. */
    public boolean isEmpty() {
      return endpoints.isEmpty();
    }

    /** Number of instances. */
    public int size() {
      return endpoints.size();
    }
  }
}

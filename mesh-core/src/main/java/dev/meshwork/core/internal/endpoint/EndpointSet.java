package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The immutable endpoint state of a service that calls read: swapped whole when discovery
 * publishes, never modified in place, so the hot path reads one volatile field and takes no lock.
 *
 * @param snapshot what discovery published, or {@code null} before its first answer
 * @param states one state per endpoint, in snapshot order
 * @param version 0 before the first snapshot, then 1, 2, ...
 * @param updatedAt when the snapshot was applied, or {@code null} before the first
 */
public record EndpointSet(
    EndpointSnapshot snapshot, List<EndpointState> states, long version, Instant updatedAt) {

  /** The set of a service whose discovery has not answered yet. */
  public static EndpointSet initial() {
    return new EndpointSet(null, List.of(), 0, null);
  }

  /**
   * The set that follows this one when {@code next} is published: endpoints whose address stays
   * keep their statistics, new ones start fresh, removed ones are dropped.
   */
  public EndpointSet next(EndpointSnapshot next, Instant now, long nowNanos) {
    return next(next, now, nowNanos, null);
  }

  /**
   * As {@link #next(EndpointSnapshot, Instant, long)}, with the service's slow start ({@code null}
   * when off). New endpoints ramp up only when they join a set that has endpoints: arriving in an
   * empty set (the first answer, or after the service had none) they take their full share at once,
   * since ramping every endpoint alike changes no share.
   */
  public EndpointSet next(EndpointSnapshot next, Instant now, long nowNanos, Ramp ramp) {
    List<Endpoint> endpoints = next.endpoints();
    List<Endpoint> before = snapshot == null ? List.of() : snapshot.endpoints();
    EndpointState[] nextStates = new EndpointState[endpoints.size()];
    // Sources mostly list endpoints in a stable order, so the endpoint at the same position is
    // checked first; the index of the previous list is built only when that fails once.
    AddressIndex previous = null;
    for (int i = 0; i < nextStates.length; i++) {
      Endpoint endpoint = endpoints.get(i);
      int from = i < before.size() && AddressIndex.sameAddress(before.get(i), endpoint) ? i : -1;
      if (from < 0 && !before.isEmpty()) {
        if (previous == null) {
          previous = AddressIndex.of(before);
        }
        from = previous.indexOf(endpoint);
      }
      EndpointStats stats;
      if (from >= 0) {
        stats = states.get(from).stats();
      } else {
        stats = new EndpointStats(nowNanos);
        if (states.isEmpty()) {
          stats.skipRamp();
        }
      }
      nextStates[i] = new EndpointState(endpoint, stats, ramp);
    }
    return new EndpointSet(next, List.of(nextStates), version + 1, now);
  }

  /**
   * This set with each endpoint measured against {@code ramp} (the service's new slow start, or
   * {@code null} when it is off): the same endpoints and statistics, ramps in progress included.
   */
  public EndpointSet withRamp(Ramp ramp) {
    EndpointState[] rewrapped = new EndpointState[states.size()];
    for (int i = 0; i < rewrapped.length; i++) {
      EndpointState state = states.get(i);
      rewrapped[i] = new EndpointState(state.endpoint(), state.stats(), ramp);
    }
    return new EndpointSet(snapshot, List.of(rewrapped), version, updatedAt);
  }
}

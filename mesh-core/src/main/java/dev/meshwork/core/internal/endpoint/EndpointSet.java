package dev.meshwork.core.internal.endpoint;

import dev.meshwork.core.EndpointSnapshot;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The immutable endpoint state of a service that calls read: swapped whole when discovery
 * publishes, never modified in place, so the hot path reads one volatile field and takes no lock.
 *
 * @param snapshot what discovery published, or {@code null} before its first answer
 * @param states one state per endpoint, in snapshot order
 * @param version 0 before the first snapshot, then 1, 2, ...
 * @param updatedAt when the snapshot was applied, or {@code null} before the first
 */
public record EndpointSet(EndpointSnapshot snapshot, List<EndpointState> states, long version, Instant updatedAt) {

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
   * empty set (the first answer, or after the service had none) they take their full share at
   * once, since ramping every endpoint alike changes no share.
   */
  public EndpointSet next(EndpointSnapshot next, Instant now, long nowNanos, Ramp ramp) {
    Map<InstanceKey, EndpointStats> previous = new HashMap<>(states.size() * 4 / 3 + 1);
    for (EndpointState state : states) {
      previous.put(InstanceKey.of(state.endpoint()), state.stats());
    }
    EndpointState[] nextStates = new EndpointState[next.size()];
    for (int i = 0; i < nextStates.length; i++) {
      var endpoint = next.endpoints().get(i);
      EndpointStats stats = previous.get(InstanceKey.of(endpoint));
      if (stats == null) {
        stats = new EndpointStats(nowNanos);
        if (states.isEmpty()) {
          stats.skipRamp();
        }
      }
      nextStates[i] = new EndpointState(endpoint, stats, ramp);
    }
    return new EndpointSet(next, List.of(nextStates), version + 1, now);
  }
}

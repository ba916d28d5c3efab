package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Receives the decisions the pipeline makes for each call. A service has one, possibly a
 * {@linkplain #compose composite} of several consumers (spans and metrics, the mesh's {@link
 * DecisionLog}). Implementations must not throw and must be cheap.
 *
 * <p>A {@code detail} starts with a short, low-cardinality reason ({@code status_503}, {@code
 * connect_failure}, {@code circuit_open}, {@code ejected}, ...), optionally followed by {@code ":
 * "} and words for people; metrics use the reason as a tag. Callers build it only when {@link
 * #records} says someone listens.
 */
@FunctionalInterface
public interface CallTelemetry {

  /** Telemetry that records nothing. */
  CallTelemetry NONE =
      new CallTelemetry() {
        @Override
        public void decision(
            CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {}

        @Override
        public boolean records(DecisionKind kind) {
          return false;
        }
      };

  /**
   * A decision of {@code kind} for {@code call}. {@code endpoint} is the endpoint of the attempt
   * the decision is about (picked, failed, answered), or {@code null}; it comes from that attempt,
   * never from the call, whose latest pick may be another, concurrent attempt's under hedging.
   */
  void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail);

  /**
   * A decision of {@code kind} made inside {@code attempt} (its admission, its pick), about the
   * attempt's endpoint if it has one yet. A consumer that tells attempts apart (traces: one span
   * each) overrides it, since a hedged call runs several at once; by default it is a decision of
   * the attempt's call.
   */
  default void decision(AttemptState attempt, DecisionKind kind, String detail) {
    EndpointState picked = attempt.endpoint();
    decision(attempt.call(), kind, picked == null ? null : picked.endpoint(), detail);
  }

  /**
   * A decision about an endpoint rather than a call, such as an ejection by outlier detection or
   * the endpoint's return; {@code attempt} is the attempt whose outcome tipped it, or {@code null}
   * when a periodic sweep decided. Ignored by default.
   */
  default void endpointEvent(
      ServiceName service,
      DecisionKind kind,
      Endpoint endpoint,
      String detail,
      AttemptState attempt) {}

  /**
   * Whether {@link #decision} wants decisions of {@code kind}; the caller skips building the detail
   * when not.
   */
  default boolean records(DecisionKind kind) {
    return true;
  }

  /**
   * Whether {@link #decision} wants decisions of {@code kind} for {@code call} ({@code null}
   * outside any call); never true where {@link #records(DecisionKind)} is false. A consumer whose
   * interest depends on the call overrides it: traces want a detail only where it lands on a
   * sampled span. By default, {@link #records(DecisionKind)}.
   */
  default boolean records(CallContext call, DecisionKind kind) {
    return records(kind);
  }

  /**
   * Whether {@code decision(attempt, ...)}, or an endpoint event {@code attempt} tipped, wants
   * decisions of {@code kind} ({@code null}: outside any attempt). A consumer that overrides {@link
   * #decision(AttemptState, DecisionKind, String)} answers from the same place it will put the
   * decision, so the check and the emission agree. By default, the answer for the attempt's call.
   */
  default boolean records(AttemptState attempt, DecisionKind kind) {
    return records(attempt == null ? null : attempt.call(), kind);
  }

  /** {@code first} and then {@code second}; {@link #NONE} parts are dropped. */
  static CallTelemetry compose(CallTelemetry first, CallTelemetry second) {
    List<CallTelemetry> parts = new ArrayList<>();
    for (CallTelemetry part : List.of(first, second)) {
      if (part instanceof CompositeTelemetry composite) {
        parts.addAll(List.of(composite.parts));
      } else if (part != NONE) {
        parts.add(part);
      }
    }
    return parts.isEmpty()
        ? NONE
        : parts.size() == 1 ? parts.get(0) : new CompositeTelemetry(parts);
  }
}

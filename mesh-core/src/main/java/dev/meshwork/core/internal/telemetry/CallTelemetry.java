package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.pipeline.CallContext;

/** Receives the decisions the pipeline makes for each call. Implementations must not throw. */
@FunctionalInterface
public interface CallTelemetry {

  /** Telemetry that records nothing. */
  CallTelemetry NONE = (call, kind, detail) -> {
  };

  void decision(CallContext call, DecisionKind kind, String detail);

  /**
   * A decision about an endpoint made outside any call, such as an ejection by outlier
   * detection or the endpoint's return. Ignored by default.
   */
  default void endpointEvent(ServiceName service, DecisionKind kind, Endpoint endpoint, String detail) {
  }

  /** Reports to this telemetry, then to {@code next}. */
  default CallTelemetry andThen(CallTelemetry next) {
    CallTelemetry first = this;
    return new CallTelemetry() {
      @Override
      public void decision(CallContext call, DecisionKind kind, String detail) {
        first.decision(call, kind, detail);
        next.decision(call, kind, detail);
      }

      @Override
      public void endpointEvent(ServiceName service, DecisionKind kind, Endpoint endpoint, String detail) {
        first.endpointEvent(service, kind, endpoint, detail);
        next.endpointEvent(service, kind, endpoint, detail);
      }
    };
  }
}

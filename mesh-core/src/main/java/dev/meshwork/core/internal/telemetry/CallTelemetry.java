package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.internal.pipeline.CallContext;

/** Receives the decisions the pipeline makes for each call. Implementations must not throw. */
@FunctionalInterface
public interface CallTelemetry {

  /** Telemetry that records nothing. */
  CallTelemetry NONE = (call, kind, detail) -> {
  };

  void decision(CallContext call, DecisionKind kind, String detail);
}

package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import java.util.List;

/** Several consumers; which kinds anyone records is worked out once, here. */
final class CompositeTelemetry implements CallTelemetry {
  final CallTelemetry[] parts;
  private final boolean[] recorded = new boolean[DecisionKind.values().length];

  CompositeTelemetry(List<CallTelemetry> parts) {
    this.parts = parts.toArray(CallTelemetry[]::new);
    for (DecisionKind kind : DecisionKind.values()) {
      for (CallTelemetry part : this.parts) {
        recorded[kind.ordinal()] |= part.records(kind);
      }
    }
  }

  @Override
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
    for (CallTelemetry part : parts) {
      if (part.records(kind)) {
        part.decision(call, kind, endpoint, detail);
      }
    }
  }

  @Override
  public void decision(AttemptState attempt, DecisionKind kind, String detail) {
    for (CallTelemetry part : parts) {
      if (part.records(kind)) {
        part.decision(attempt, kind, detail);
      }
    }
  }

  @Override
  public void endpointEvent(
      ServiceName service,
      DecisionKind kind,
      Endpoint endpoint,
      String detail,
      AttemptState attempt) {
    for (CallTelemetry part : parts) {
      if (part.records(kind)) {
        part.endpointEvent(service, kind, endpoint, detail, attempt);
      }
    }
  }

  @Override
  public boolean records(DecisionKind kind) {
    return recorded[kind.ordinal()];
  }

  @Override
  public boolean records(CallContext call, DecisionKind kind) {
    if (!recorded[kind.ordinal()]) {
      return false;
    }
    for (CallTelemetry part : parts) {
      if (part.records(call, kind)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean records(AttemptState attempt, DecisionKind kind) {
    if (!recorded[kind.ordinal()]) {
      return false;
    }
    for (CallTelemetry part : parts) {
      if (part.records(attempt, kind)) {
        return true;
      }
    }
    return false;
  }
}

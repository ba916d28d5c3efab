package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import java.util.Arrays;
import java.util.List;

/**
 * Several listeners of one call, in order. A decision reaches only the parts that want it, so one
 * part's interest never makes another receive what it did not ask for.
 */
final class CompositeListener extends CallListener {
  private final CallListener[] parts;

  private CompositeListener(CallListener[] parts) {
    this.parts = parts;
  }

  /** The factories of a service's listeners, in the order they were added. */
  static final class Factories implements CallListener.Factory {
    private final CallListener.Factory[] parts;

    Factories(List<CallListener.Factory> parts) {
      this.parts = parts.toArray(CallListener.Factory[]::new);
    }

    List<CallListener.Factory> parts() {
      return List.of(parts);
    }

    /** The parts' listeners of {@code call}; those that listen to none are left out. */
    @Override
    public CallListener newCall(CallContext call) {
      CallListener[] listening = new CallListener[parts.length];
      int count = 0;
      for (CallListener.Factory part : parts) {
        CallListener listener = part.newCall(call);
        if (listener != CallListener.NONE) {
          listening[count++] = listener;
        }
      }
      if (count <= 1) {
        return count == 0 ? CallListener.NONE : listening[0];
      }
      return new CompositeListener(
          count == listening.length ? listening : Arrays.copyOf(listening, count));
    }

    @Override
    public void ejected(ServiceName service, EndpointState endpoint, String why) {
      for (CallListener.Factory part : parts) {
        part.ejected(service, endpoint, why);
      }
    }

    @Override
    public void returned(ServiceName service, EndpointState endpoint) {
      for (CallListener.Factory part : parts) {
        part.returned(service, endpoint);
      }
    }
  }

  @Override
  public void callStart(CallContext call) {
    for (CallListener part : parts) {
      part.callStart(call);
    }
  }

  @Override
  public boolean records(CallContext call, DecisionKind kind) {
    for (CallListener part : parts) {
      if (part.records(call, kind)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
    for (CallListener part : parts) {
      if (part.records(call, kind)) {
        part.decision(call, kind, endpoint, detail);
      }
    }
  }

  @Override
  public boolean records(AttemptState attempt, DecisionKind kind) {
    for (CallListener part : parts) {
      if (part.records(attempt, kind)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void decision(AttemptState attempt, DecisionKind kind, String detail) {
    for (CallListener part : parts) {
      if (part.records(attempt, kind)) {
        part.decision(attempt, kind, detail);
      }
    }
  }

  @Override
  public void attemptStart(AttemptState attempt) {
    for (CallListener part : parts) {
      part.attemptStart(attempt);
    }
  }

  @Override
  public void ejected(AttemptState attempt, EndpointState endpoint, String why) {
    for (CallListener part : parts) {
      part.ejected(attempt, endpoint, why);
    }
  }

  @Override
  public void attemptEnd(AttemptState attempt, int status, Throwable failure) {
    for (CallListener part : parts) {
      part.attemptEnd(attempt, status, failure);
    }
  }

  @Override
  public void callEnd(CallContext call) {
    for (CallListener part : parts) {
      part.callEnd(call);
    }
  }

  @Override
  public void callFailed(CallContext call, Throwable failure) {
    for (CallListener part : parts) {
      part.callFailed(call, failure);
    }
  }
}

package dev.meshwork.core.internal.admin;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.telemetry.CallTelemetry;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mesh's last N decisions, for {@code /decisions}. Lock-free: a writer takes a sequence
 * number and stores its entry in slot {@code sequence % capacity}; a reader walks back from the
 * newest number and keeps only entries whose number matches their slot, so an entry overwritten
 * during the walk is skipped rather than shown out of order. Recording costs one increment, one
 * small object and one array write, on the deciding thread.
 */
public final class DecisionLog implements CallTelemetry {
  private final MeshClock clock;
  private final AtomicReferenceArray<Decision> slots;
  private final AtomicLong next = new AtomicLong();

  public DecisionLog(int capacity, MeshClock clock) {
    this.slots = new AtomicReferenceArray<>(capacity);
    this.clock = clock;
  }

  @Override
  public void decision(CallContext call, DecisionKind kind, String detail) {
    EndpointState endpoint = switch (kind) {
      // The endpoint of the attempt just picked, or of the attempt that failed and is retried.
      case PICK, RETRY, BUDGET_REFUSED -> call.lastEndpoint();
      default -> null;
    };
    record(call.service().service(), kind, detail, endpoint == null ? null : endpoint.endpoint());
  }

  @Override
  public void endpointEvent(ServiceName service, DecisionKind kind, Endpoint endpoint, String detail, CallContext call) {
    record(service, kind, detail, endpoint);
  }

  void record(ServiceName service, DecisionKind kind, String detail, Endpoint endpoint) {
    long sequence = next.getAndIncrement();
    slots.set((int) (sequence % slots.length()), new Decision(sequence, clock.now(), service.value(), kind, detail,
        endpoint == null ? null : endpoint.address()));
  }

  public int capacity() {
    return slots.length();
  }

  /** How many decisions were recorded since the mesh started, including those overwritten since. */
  public long recorded() {
    return next.get();
  }

  /** The kept decisions, newest first. */
  List<Decision> newestFirst() {
    long newest = next.get() - 1;
    long oldest = Math.max(0, newest - slots.length() + 1);
    List<Decision> decisions = new ArrayList<>((int) (newest - oldest + 1));
    for (long sequence = newest; sequence >= oldest; sequence--) {
      Decision decision = slots.get((int) (sequence % slots.length()));
      // null: taken but not yet stored; another number: overwritten by a newer one meanwhile.
      if (decision != null && decision.sequence() == sequence) {
        decisions.add(decision);
      }
    }
    return decisions;
  }
}

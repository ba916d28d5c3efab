package dev.meshwork.core.internal.admin;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.telemetry.CallTelemetry;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mesh's last N decisions, for {@code /decisions}. Lock-free: a writer takes a sequence
 * number and stores its entry in slot {@code sequence % capacity}; a reader walks back from the
 * newest number and keeps only entries whose number matches their slot, so an entry overwritten
 * during the walk is skipped rather than shown out of order. Recording costs one increment, one
 * small object and one array write, on the deciding thread.
 *
 * <p>Picks are kept apart, in a ring a quarter the size: a busy service makes a pick per attempt,
 * and in one shared ring they would push out within milliseconds the ejections, rejections and
 * retries an operator comes to this page for. Both rings share one sequence, so the page still
 * shows one timeline.
 */
public final class DecisionLog implements CallTelemetry {
  private final MeshClock clock;
  private final int capacity;
  private final AtomicLong next = new AtomicLong();
  private final Ring picks;
  private final Ring others;

  /** @param capacity decisions other than picks kept; picks get a ring a quarter this size (at least 1) */
  public DecisionLog(int capacity, MeshClock clock) {
    this.capacity = capacity;
    this.picks = new Ring(Math.max(1, capacity / 4));
    this.others = new Ring(capacity);
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
    Decision decision = new Decision(next.getAndIncrement(), clock.now(), service.value(), kind, detail,
        endpoint == null ? null : endpoint.address());
    (kind == DecisionKind.PICK ? picks : others).store(decision);
  }

  public int capacity() {
    return capacity;
  }

  /** How many decisions were recorded since the mesh started, including those overwritten since. */
  public long recorded() {
    return next.get();
  }

  /** The kept decisions, newest first: the last picks and the last others, on one timeline. */
  List<Decision> newestFirst() {
    List<Decision> kept = new ArrayList<>();
    picks.collect(kept);
    others.collect(kept);
    kept.sort(Comparator.comparingLong(Decision::sequence).reversed());
    return kept;
  }

  /**
   * One ring: a writer takes the ring's own number and stores into slot {@code number %
   * length}; a reader walks back from the newest number and keeps only slots still holding the
   * number it expects, so an entry overwritten during the walk is skipped, not shown twice.
   */
  private static final class Ring {
    private record Slot(long number, Decision decision) {
    }

    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong next = new AtomicLong();

    Ring(int length) {
      this.slots = new AtomicReferenceArray<>(length);
    }

    void store(Decision decision) {
      long number = next.getAndIncrement();
      slots.set((int) (number % slots.length()), new Slot(number, decision));
    }

    void collect(List<Decision> into) {
      long newest = next.get() - 1;
      long oldest = Math.max(0, newest - slots.length() + 1);
      for (long number = newest; number >= oldest; number--) {
        Slot slot = slots.get((int) (number % slots.length()));
        // null: taken but not yet stored; another number: overwritten by a newer one meanwhile.
        if (slot != null && slot.number() == number) {
          into.add(slot.decision());
        }
      }
    }
  }
}

package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.spi.Redaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The mesh's last N decisions, for {@link dev.meshwork.core.MeshSnapshot#decisions()}. Lock-free: a
 * writer takes a sequence number and stores its entry in a {@link Ring}, never over a newer one; a
 * reader keeps only entries whose number matches their slot and orders them by sequence. Recording
 * costs two increments, two small objects and one compare-and-set, on the deciding thread.
 *
 * <p>Picks are kept apart, in a ring a quarter the size: a busy service makes a pick per attempt,
 * and in one shared ring they would push out within milliseconds the ejections, rejections and
 * retries an operator comes to this page for. Both rings share one sequence, so the page still
 * shows one timeline.
 *
 * <p>One log serves every service of the mesh. Each call gets a number, in the order calls start,
 * which every decision about it carries ({@link Decision#call()}): its listener is one small object
 * holding that number.
 */
public final class DecisionLog implements CallListener.Factory {
  /**
   * The most characters of a detail kept. A failure's message may carry what an endpoint sent
   * (OkHttp quotes up to 256 KB of a garbled status line); kept whole, it would be stored 256 times
   * over and redacted on every read of the page.
   */
  static final int MAX_DETAIL = 400;

  private final MeshClock clock;
  private final int capacity;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong calls = new AtomicLong();
  private final Ring picks;
  private final Ring others;

  /**
   * @param capacity decisions other than picks kept; picks get a ring a quarter this size (at least
   *     1)
   */
  public DecisionLog(int capacity, MeshClock clock) {
    this.capacity = capacity;
    this.picks = new Ring(Math.max(1, capacity / 4));
    this.others = new Ring(capacity);
    this.clock = clock;
  }

  @Override
  public CallListener newCall(CallContext call) {
    return new OfCall(calls.getAndIncrement());
  }

  /** The listener of one call: records every decision about it, sampled or not, with its number. */
  private final class OfCall extends CallListener {
    private final long call;

    OfCall(long call) {
      this.call = call;
    }

    @Override
    public boolean records(CallContext context, DecisionKind kind) {
      return true;
    }

    @Override
    public void decision(CallContext context, DecisionKind kind, Endpoint endpoint, String detail) {
      record(context.target().service(), kind, detail, endpoint, call);
    }

    @Override
    public void ejected(AttemptState attempt, EndpointState endpoint, String why) {
      record(
          attempt.call().target().service(),
          DecisionKind.EJECTION,
          CallListener.ejectedDetail(endpoint, why),
          endpoint.endpoint(),
          call);
    }
  }

  @Override
  public void ejected(ServiceName service, EndpointState endpoint, String why) {
    record(
        service,
        DecisionKind.EJECTION,
        CallListener.ejectedDetail(endpoint, why),
        endpoint.endpoint());
  }

  @Override
  public void returned(ServiceName service, EndpointState endpoint) {
    record(
        service, DecisionKind.EJECTION, CallListener.returnedDetail(endpoint), endpoint.endpoint());
  }

  /** Records a decision made outside any call (a sweep's ejection or return). */
  void record(ServiceName service, DecisionKind kind, String detail, Endpoint endpoint) {
    record(service, kind, detail, endpoint, -1);
  }

  /** Records a decision about call number {@code call}, or about no call when it is negative. */
  void record(ServiceName service, DecisionKind kind, String detail, Endpoint endpoint, long call) {
    Decision decision =
        new Decision(
            next.getAndIncrement(),
            clock.now(),
            service.value(),
            kind.name(),
            bounded(detail),
            Optional.ofNullable(endpoint),
            call < 0 ? OptionalLong.empty() : OptionalLong.of(call));
    (kind == DecisionKind.PICK ? picks : others).store(decision);
  }

  /**
   * {@code detail}, or for a long one its first {@value #MAX_DETAIL} characters and an ellipsis
   * saying how long it was. A long one is redacted whole before it is cut, so a credential cut in
   * half (a URL's user info without its {@code @}) is not left where redaction no longer sees it.
   */
  static String bounded(String detail) {
    if (detail == null || detail.length() <= MAX_DETAIL) {
      return detail;
    }
    String redacted = Redaction.text(detail);
    if (redacted.length() <= MAX_DETAIL) {
      return redacted;
    }
    int cut =
        Character.isHighSurrogate(redacted.charAt(MAX_DETAIL - 1)) ? MAX_DETAIL - 1 : MAX_DETAIL;
    return redacted.substring(0, cut) + "... (cut from " + detail.length() + " characters)";
  }

  public int capacity() {
    return capacity;
  }

  /** How many decisions were recorded since the mesh started, including those overwritten since. */
  public long recorded() {
    return next.get();
  }

  /** The kept decisions, newest first: the last picks and the last others, on one timeline. */
  public List<Decision> newestFirst() {
    List<Decision> kept = new ArrayList<>();
    picks.collect(kept);
    others.collect(kept);
    kept.sort(Comparator.comparingLong(Decision::sequence).reversed());
    return kept;
  }

  /**
   * One ring. A writer claims the ring's next number, then stores its entry in slot {@code number %
   * length}, but only over an older number: a writer descheduled between the two steps while the
   * ring wrapped would otherwise overwrite a newer entry with its stale one (its own entry is then
   * already out of the window, so it is dropped). A reader walks back from the newest number and
   * keeps only slots still holding the number it expects, so it never shows an entry twice or one
   * that fell out of the window.
   */
  static final class Ring {
    private record Slot(long number, Decision decision) {}

    private final AtomicReferenceArray<Slot> slots;
    private final AtomicLong next = new AtomicLong();

    Ring(int length) {
      this.slots = new AtomicReferenceArray<>(length);
    }

    void store(Decision decision) {
      write(claim(), decision);
    }

    /** The first step of {@link #store}: the entry's number, which fixes its slot. */
    long claim() {
      return next.getAndIncrement();
    }

    /**
     * The second step of {@link #store}: one read and one CAS, retried only when another writer
     * raced for the slot.
     */
    void write(long number, Decision decision) {
      int index = (int) (number % slots.length());
      Slot mine = new Slot(number, decision);
      for (; ; ) {
        Slot current = slots.get(index);
        if (current != null && current.number() > number) {
          return;
        }
        if (slots.compareAndSet(index, current, mine)) {
          return;
        }
      }
    }

    void collect(List<Decision> into) {
      long newest = next.get() - 1;
      long oldest = Math.max(0, newest - slots.length() + 1);
      for (long number = newest; number >= oldest; number--) {
        Slot slot = slots.get((int) (number % slots.length()));
        // null or older: claimed but not yet written; newer: overwritten during the walk.
        if (slot != null && slot.number() == number) {
          into.add(slot.decision());
        }
      }
    }
  }
}

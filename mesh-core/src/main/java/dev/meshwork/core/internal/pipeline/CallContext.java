package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.routing.CompiledRoute;
import dev.meshwork.core.internal.routing.EndpointGroup;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one logical call as it passes the pipeline. Call stages run on the calling thread;
 * hedged attempts run on other threads at the same time, so the attempt bookkeeping is synchronised
 * (uncontended, and cheap, on unhedged calls).
 */
public final class CallContext {
  private final CallTarget target;
  private final MeshRequest request;
  private final long startNanos;
  private final CallListener listener;
  private List<EndpointState> candidates = List.of();
  private CompiledRoute route;
  private EndpointGroup group;
  private List<EndpointState> population = List.of();
  private List<EndpointState> tried;
  private int attempts;
  private long deadlineNanos = Long.MAX_VALUE;
  private volatile boolean hedging;

  /** The call's latest hedged race, or {@code null} when its attempts were not hedged. */
  private volatile HedgedRace<?> race;

  /** A call to {@code target} starting at {@code startNanos}; its listener is made here. */
  CallContext(CallTarget target, MeshRequest request, long startNanos) {
    this.target = target;
    this.request = request;
    this.startNanos = startNanos;
    this.listener = target.listeners().newCall(this);
  }

  /** The service the call goes to, with the policies and state its stages read. */
  public CallTarget target() {
    return target;
  }

  /** Hears what happens to this call. */
  public CallListener listener() {
    return listener;
  }

  public MeshRequest request() {
    return request;
  }

  /**
   * When the logical call entered the pipeline, in {@link dev.meshwork.core.MeshClock#nanoTime()}.
   */
  public long startNanos() {
    return startNanos;
  }

  /**
   * When the call must end, in mesh-clock nanoseconds; {@link Long#MAX_VALUE} when it has no
   * deadline.
   */
  public long deadlineNanos() {
    return deadlineNanos;
  }

  void deadlineNanos(long deadlineNanos) {
    this.deadlineNanos = deadlineNanos;
  }

  /** Whether the call's attempts may overlap (hedging); set before the first attempt. */
  public boolean hedging() {
    return hedging;
  }

  void hedging(boolean hedging) {
    this.hedging = hedging;
  }

  /** The latest hedged race of the call's attempts, or {@code null} when it had none. */
  HedgedRace<?> race() {
    return race;
  }

  void race(HedgedRace<?> race) {
    this.race = race;
  }

  /** Whether the call has a deadline. */
  public boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }

  /**
   * The endpoint of the latest attempt, or {@code null} before one was picked. Under hedging
   * attempts overlap, so this need not be the endpoint of the attempt a caller has in hand.
   */
  public synchronized EndpointState lastEndpoint() {
    return tried == null ? null : tried.get(tried.size() - 1);
  }

  /**
   * Sends the call to {@code group}, as route {@code route} (or no route) decided: its candidates
   * are loaded once, so every attempt of the call sees the same set.
   */
  void destination(CompiledRoute route, EndpointGroup group) {
    this.route = route;
    this.group = group;
    this.candidates = group.candidates();
    this.population = group.members();
  }

  /** The route the call matched, or {@code null} when none did. */
  public CompiledRoute route() {
    return route;
  }

  /** The endpoint group the call goes to (a subset, or the whole service). */
  public EndpointGroup group() {
    return group;
  }

  /** The endpoints the call may use, as narrowed by the call stages so far. */
  public List<EndpointState> candidates() {
    return candidates;
  }

  /** The endpoints the candidates were chosen from (the group's members), usable or not. */
  public List<EndpointState> population() {
    return population;
  }

  /** Endpoints already picked by earlier attempts of this call, in order. */
  public synchronized List<EndpointState> tried() {
    return tried == null ? List.of() : List.copyOf(tried);
  }

  synchronized void markTried(EndpointState endpoint) {
    if (tried == null) {
      tried = new ArrayList<>(2);
    }
    tried.add(endpoint);
  }

  /** Starts the next attempt of this call. */
  synchronized AttemptState newAttempt() {
    return new AttemptState(this, attempts++);
  }

  /**
   * Records a choice the mesh made for this call, with {@code detail} saying what and why in a few
   * words (see {@link CallListener} for its form). A choice made inside one attempt goes through
   * {@link AttemptState#decision} instead. Guard the building of a costly detail with {@link
   * #records}.
   */
  public void decision(DecisionKind kind, String detail) {
    decision(kind, null, detail);
  }

  /**
   * Records a choice about one attempt made by the call (a retry, a budget refusal), naming that
   * attempt's {@code endpoint}: pass it from the attempt itself, since under hedging {@link
   * #lastEndpoint()} may be another attempt's.
   */
  public void decision(DecisionKind kind, Endpoint endpoint, String detail) {
    if (listener.records(this, kind)) {
      listener.decision(this, kind, endpoint, detail);
    }
  }

  /**
   * Whether the call's listener wants decisions of {@code kind}; when not, skip building the
   * detail. Asked per call: a traced service's unsampled calls have no span to put it on.
   */
  public boolean records(DecisionKind kind) {
    return listener.records(this, kind);
  }

  /** Number of attempts started so far. */
  public synchronized int attempts() {
    return attempts;
  }
}

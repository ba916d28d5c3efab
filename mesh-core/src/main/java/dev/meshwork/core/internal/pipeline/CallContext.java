package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.telemetry.DecisionKind;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.transport.MeshRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of one logical call as it passes the pipeline. Call stages run on the calling thread;
 * hedged attempts run on other threads at the same time, so the attempt bookkeeping is
 * synchronised (uncontended, and cheap, on unhedged calls).
 */
public final class CallContext {
  private final ServiceRuntime service;
  private final MeshRequest request;
  private final long startNanos;
  private List<EndpointState> candidates = List.of();
  private List<EndpointState> population = List.of();
  private List<EndpointState> tried;
  private int attempts;
  private long deadlineNanos = Long.MAX_VALUE;
  private volatile boolean hedging;

  public CallContext(ServiceRuntime service, MeshRequest request, long startNanos) {
    this.service = service;
    this.request = request;
    this.startNanos = startNanos;
  }

  public ServiceRuntime service() {
    return service;
  }

  public MeshRequest request() {
    return request;
  }

  /** When the logical call entered the pipeline, in {@link dev.meshwork.core.MeshClock#nanoTime()}. */
  public long startNanos() {
    return startNanos;
  }

  /** When the call must end, in mesh-clock nanoseconds; {@link Long#MAX_VALUE} when it has no deadline. */
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

  /** Whether the call has a deadline. */
  public boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }

  /** The endpoint of the latest attempt, or {@code null} before one was picked. */
  public synchronized EndpointState lastEndpoint() {
    return tried == null ? null : tried.get(tried.size() - 1);
  }

  /** The endpoints the call may use, as narrowed by the call stages so far. */
  public List<EndpointState> candidates() {
    return candidates;
  }

  /** Sets the candidates; they are their own population (see {@link #candidates(List, List)}). */
  public void candidates(List<EndpointState> candidates) {
    candidates(candidates, candidates);
  }

  /**
   * Sets the candidates and the population they were chosen from (the service's endpoints, or a
   * subset's members, usable or not): zone awareness judges the local zone's health by how many
   * of its members in the population are still candidates.
   */
  public void candidates(List<EndpointState> candidates, List<EndpointState> population) {
    this.candidates = candidates;
    this.population = population;
  }

  /** The endpoints the candidates were chosen from, usable or not. */
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
   * Records a choice the mesh made for this call, with {@code detail} saying what and why in a
   * few words. Telemetry (spans, metrics, the admin decision buffer) listens here.
   */
  public void decision(DecisionKind kind, String detail) {
    service.telemetry().decision(this, kind, detail);
  }

  /** Number of attempts started so far. */
  public synchronized int attempts() {
    return attempts;
  }
}

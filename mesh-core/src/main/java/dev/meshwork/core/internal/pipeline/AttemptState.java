package dev.meshwork.core.internal.pipeline;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One physical attempt of a call: which number it is and, once picked, its endpoint. Hedged
 * attempts of one call overlap, so what belongs to an attempt lives here, not on the call.
 */
public final class AttemptState implements AttemptContext, PickContext {
  private final CallContext call;
  private final int attempt;
  private EndpointState endpoint;
  private Map<String, String> headers;
  private long latencyNanos = -1;

  /** Set when the mesh stops this attempt: it lost a hedged race, or its call was given up. */
  private volatile boolean stopped;

  /**
   * Whether the attempt ended without a verdict on its endpoint; decided where its failure leaves
   * the transport.
   */
  private volatile boolean cancelled;

  /**
   * What was left of the call's deadline when the attempt was sent ({@link Long#MAX_VALUE} without
   * one).
   */
  private long remainingAtSendNanos = Long.MAX_VALUE;

  AttemptState(CallContext call, int attempt) {
    this.call = call;
    this.attempt = attempt;
  }

  public CallContext call() {
    return call;
  }

  @Override
  public ServiceName service() {
    return call.target().service();
  }

  @Override
  public MeshRequest request() {
    return call.request();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public long connectTimeoutNanos() {
    return Math.min(call.target().timeouts().connect().toNanos(), timeoutNanos());
  }

  @Override
  public long timeoutNanos() {
    return Math.max(1, Math.min(perTryNanos(), deadlineRemainingNanos()));
  }

  /** The per-try timeout (the call's, else the service's), or {@link Long#MAX_VALUE} for none. */
  private long perTryNanos() {
    Duration perTry = call.request().options().perTryTimeout().orElse(null);
    if (perTry == null) {
      perTry = call.target().timeouts().perTry().orElse(null);
    }
    return perTry == null ? Long.MAX_VALUE : perTry.toNanos();
  }

  /**
   * The transport is about to send this attempt: note what is left of the deadline to judge a
   * timeout by.
   */
  void sending() {
    remainingAtSendNanos = deadlineRemainingNanos();
  }

  /**
   * Whether a timeout of this attempt ({@code connecting}: while connecting) was the call's
   * deadline running out rather than the attempt's own bound: the per-try timeout, and when
   * connecting the connect timeout, were both longer than what the deadline left it.
   */
  boolean deadlineCut(boolean connecting) {
    long own =
        connecting
            ? Math.min(perTryNanos(), call.target().timeouts().connect().toNanos())
            : perTryNanos();
    return remainingAtSendNanos < own;
  }

  /**
   * The mesh stops this attempt (through the transport's cancel): however it then ends is no
   * verdict on its endpoint.
   */
  void stop() {
    stopped = true;
  }

  boolean stopped() {
    return stopped;
  }

  /**
   * Whether the attempt ended without a verdict on its endpoint: the mesh stopped it (a hedged
   * race's loser), the caller cancelled the call or interrupted its thread, or the call's deadline
   * cut it short. Outlier detection, the breaker, the balancer's counts and the metrics then record
   * it as cancelled, neither a success nor a failure.
   */
  public boolean cancelled() {
    return cancelled;
  }

  void cancelled(boolean cancelled) {
    this.cancelled = cancelled;
  }

  @Override
  public long deadlineRemainingNanos() {
    return call.hasDeadline()
        ? call.deadlineNanos() - call.target().clock().nanoTime()
        : Long.MAX_VALUE;
  }

  @Override
  public boolean hedged() {
    return call.hedging();
  }

  @Override
  public boolean propagateDeadline() {
    return call.hasDeadline() && call.target().timeouts().propagateDeadline();
  }

  /** The endpoint picked for this attempt, or {@code null} before the pick stage ran. */
  public EndpointState endpoint() {
    return endpoint;
  }

  void endpoint(EndpointState picked) {
    this.endpoint = picked;
    call.markTried(picked);
  }

  @Override
  public Map<String, String> headers() {
    return headers == null ? Map.of() : headers;
  }

  /**
   * Asks the transport to set {@code name: value} on this attempt's request; before it is sent
   * only.
   */
  public void header(String name, String value) {
    if (headers == null) {
      headers = new LinkedHashMap<>(4);
    }
    headers.put(name, value);
  }

  /**
   * Records a choice made inside this attempt (its admission, its pick), naming its endpoint if it
   * has one yet. Traces put it on this attempt's span, not on whichever attempt of a hedged call
   * started last. Guard a costly detail with {@link #records}.
   */
  public void decision(DecisionKind kind, String detail) {
    CallListener listener = call.listener();
    if (listener.records(this, kind)) {
      listener.decision(this, kind, detail);
    }
  }

  /**
   * Whether the call's listener wants decisions of {@code kind} made inside this attempt; when not,
   * skip building the detail. Traces answer for the span {@link #decision} would put it on.
   */
  public boolean records(DecisionKind kind) {
    return call.listener().records(this, kind);
  }

  /** How long the attempt took from endpoint to outcome, in nanoseconds; -1 before it ended. */
  public long latencyNanos() {
    return latencyNanos;
  }

  void latencyNanos(long latencyNanos) {
    this.latencyNanos = latencyNanos;
  }
}

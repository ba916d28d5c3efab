package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Arrays;

/**
 * One call as its service's traces and metrics see it: the caller's trace context, captured when
 * the call began (hedged attempts on other threads parent on it), the call's path template, worked
 * out once, and each attempt's span. A decision about the call becomes an event on the caller's
 * span; one made inside an attempt, on that attempt's span once it started. Metrics count the
 * decision kinds they tag and time each attempt.
 */
final class ObservedCall extends CallListener {
  private final ServiceTelemetry telemetry;

  /**
   * Set on the calling thread before any attempt; a hedge thread sees it through the executor's
   * hand-off.
   */
  private Context traceParent;

  /**
   * The call's path template ("" for none), or {@code null} before it was worked out. Not volatile:
   * a hedge thread that misses it works it out again, to the same immutable value.
   */
  private String template;

  /** The spans of the call's attempts, by attempt number; guarded by this. */
  private Attempt[] attempts;

  /** One attempt's span, its context, and the scope that keeps it current while it is sent. */
  private static final class Attempt {
    final Context context;
    final Span span;
    Scope scope;

    Attempt(Context context) {
      this.context = context;
      this.span = Span.fromContext(context);
    }
  }

  ObservedCall(ServiceTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public void callStart(CallContext call) {
    if (telemetry.tracer != null) {
      traceParent = Context.current();
    }
  }

  /**
   * Starts the attempt's span, injects its context and makes it current on this thread, until
   * {@link #attemptEnd}, which the pipeline calls on this thread in a {@code finally}, closes the
   * scope.
   */
  @Override
  @SuppressWarnings("MustBeClosedChecker") // closed by attemptEnd, see above
  public void attemptStart(AttemptState attempt) {
    if (telemetry.tracer == null) {
      return;
    }
    Context context =
        telemetry.tracer.start(
            attempt,
            traceParent,
            ServiceTelemetry.method(attempt.request().method()),
            template(attempt.call()));
    Attempt started = new Attempt(context);
    remember(attempt.attempt(), started);
    started.scope = context.makeCurrent();
  }

  /**
   * Ends the attempt's span with its answer's {@code status} (negative when there was none) or
   * {@code failure}, and records its duration; one without an answer that {@linkplain
   * AttemptState#cancelled() was cancelled} is recorded so.
   */
  @Override
  public void attemptEnd(AttemptState attempt, int status, Throwable failure) {
    boolean cancelled = status < 0 && attempt.cancelled();
    Attempt traced = telemetry.tracer == null ? null : attempt(attempt.attempt());
    if (traced != null) {
      if (traced.scope != null) {
        traced.scope.close();
      }
      telemetry.tracer.end(traced.context, status, failure, cancelled);
    }
    if (telemetry.meters != null && attempt.latencyNanos() >= 0) {
      String template = template(attempt.call());
      telemetry.meters.record(
          attempt.endpoint(),
          ServiceTelemetry.method(attempt.request().method()),
          template == null ? ServiceTelemetry.NO_TEMPLATE : template,
          cancelled ? EndpointMeters.Outcome.CANCELLED : EndpointMeters.Outcome.of(status),
          attempt.latencyNanos());
    }
  }

  /** For a decision about the call: see {@link #wants}; its event would go on the caller's span. */
  @Override
  public boolean records(CallContext call, DecisionKind kind) {
    return wants(kind, callerSpan());
  }

  /** A decision about the call: an event on the caller's span. */
  @Override
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
    decided(callerSpan(), kind, detail);
  }

  /**
   * For a decision inside the attempt: see {@link #wants}; its event would go on the attempt's
   * span, else the caller's.
   */
  @Override
  public boolean records(AttemptState attempt, DecisionKind kind) {
    return wants(kind, spanOf(attempt));
  }

  /**
   * A decision inside one attempt: an event on that attempt's span once it has one, else on the
   * caller's.
   */
  @Override
  public void decision(AttemptState attempt, DecisionKind kind, String detail) {
    decided(spanOf(attempt), kind, detail);
  }

  /** An ejection the attempt's outcome caused: counted, and an event on the attempt's span. */
  @Override
  public void ejected(AttemptState attempt, EndpointState endpoint, String why) {
    if (telemetry.meters != null) {
      telemetry.meters.ejected(endpoint);
    }
    Span span = spanOf(attempt);
    if (AttemptTracer.recording(span)) {
      AttemptTracer.event(span, DecisionKind.EJECTION, CallListener.ejectedDetail(endpoint, why));
    }
  }

  private void decided(Span span, DecisionKind kind, String detail) {
    AttemptTracer.event(span, kind, detail);
    if (telemetry.meters != null) {
      telemetry.meters.decision(kind, detail);
    }
  }

  /**
   * Metrics want the kinds they count; tracing wants a detail only when {@code span}, the one it
   * would become an event on, is recording: most calls of a sampled service are not sampled, and
   * their details would be built only to be dropped. Picks go on the attempt's span by the tracer
   * itself (the pick comes before the span starts). The caller passes the span the emission will
   * use, so the check cannot disagree with it.
   */
  private boolean wants(DecisionKind kind, Span span) {
    return telemetry.metered(kind) || (kind != DecisionKind.PICK && AttemptTracer.recording(span));
  }

  /**
   * The span a decision about the call belongs on: the caller's, for choices about the logical call
   * (route, fault, retry, hedge, budget refusal), even while attempts run; {@code null} without a
   * caller context or tracing.
   */
  private Span callerSpan() {
    return traceParent == null ? null : Span.fromContext(traceParent);
  }

  /**
   * The span a decision made inside {@code attempt} belongs on: the attempt's own once it started
   * (an ejection its outcome caused), else the caller's (an admission refusal or a pick comes
   * before the attempt's span). Never another attempt's: a hedged call runs several at once.
   */
  private Span spanOf(AttemptState attempt) {
    if (telemetry.tracer == null) {
      return null;
    }
    Attempt started = attempt(attempt.attempt());
    return started != null ? started.span : callerSpan();
  }

  private synchronized void remember(int number, Attempt started) {
    if (attempts == null) {
      attempts = new Attempt[Math.max(2, number + 1)];
    } else if (number >= attempts.length) {
      attempts = Arrays.copyOf(attempts, Math.max(number + 1, attempts.length * 2));
    }
    attempts[number] = started;
  }

  private synchronized Attempt attempt(int number) {
    return attempts == null || number >= attempts.length ? null : attempts[number];
  }

  /** The call's path template, worked out once per call; {@code null} for none. */
  private String template(CallContext call) {
    String known = template;
    if (known == null) {
      known = telemetry.template(call.request());
      known = known == null ? "" : known;
      template = known;
    }
    return known.isEmpty() ? null : known;
  }
}

package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's traces and metrics: the telemetry stage calls {@link #startAttempt} and {@link
 * #endAttempt} around every attempt, and the service's decisions arrive through {@link #decision}.
 * Parts that are off cost one null check: a no-op OpenTelemetry means no tracer, no registry means
 * no meters.
 */
public final class ServiceTelemetry implements CallTelemetry, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceTelemetry.class);
  static final String INSTRUMENTATION_SCOPE = "dev.meshwork";

  /** The value of {@code url.template} when a call has no template: raw paths never become tags. */
  static final String NO_TEMPLATE = "none";

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private final AttemptTracer tracer;
  private final ServiceMeters meters;
  private final Function<String, String> pathTemplate;

  public ServiceTelemetry(Telemetry telemetry, ServiceRuntime service) {
    OpenTelemetry openTelemetry = telemetry.openTelemetry();
    boolean tracing =
        openTelemetry != OpenTelemetry.noop()
            && openTelemetry.getTracerProvider() != TracerProvider.noop();
    TextMapPropagator propagator = openTelemetry.getPropagators().getTextMapPropagator();
    // An SDK built by hand has no propagators: its spans would start a new trace at every hop.
    if (propagator.fields().isEmpty()) {
      propagator = W3CTraceContextPropagator.getInstance();
    }
    this.tracer =
        tracing
            ? new AttemptTracer(openTelemetry.getTracer(INSTRUMENTATION_SCOPE), propagator)
            : null;
    this.meters =
        telemetry
            .meterRegistry()
            .map(registry -> new ServiceMeters(registry, service, telemetry.endpointTagLimit()))
            .orElse(null);
    this.pathTemplate = telemetry.pathTemplate().orElse(null);
  }

  /** Whether this records anything; a service without telemetry gets none at all. */
  public boolean enabled() {
    return tracer != null || meters != null;
  }

  /** A call begins on the calling thread: remember the caller's context for its attempts' spans. */
  public void callStarted(CallContext call) {
    if (tracer != null) {
      call.traceParent(Context.current());
    }
  }

  /**
   * An attempt is about to be sent to its picked endpoint: starts its span and injects the trace
   * context into its headers. Returns the context to make current while it runs, or {@code null}
   * when tracing is off.
   */
  public Context startAttempt(AttemptState attempt) {
    if (tracer == null) {
      return null;
    }
    return tracer.start(
        attempt, method(attempt.call().request().method()), template(attempt.call()));
  }

  /**
   * The attempt ended with {@code status} (negative when there was no answer) or {@code failure};
   * one without an answer that {@linkplain AttemptState#cancelled() was cancelled} is recorded so.
   */
  public void endAttempt(AttemptState attempt, Context context, int status, Throwable failure) {
    boolean cancelled = status < 0 && attempt.cancelled();
    if (context != null) {
      tracer.end(context, status, failure, cancelled);
    }
    if (meters != null && attempt.latencyNanos() >= 0) {
      String template = template(attempt.call());
      meters.record(
          attempt.endpoint(),
          method(attempt.call().request().method()),
          template == null ? NO_TEMPLATE : template,
          cancelled ? EndpointMeters.Outcome.CANCELLED : EndpointMeters.Outcome.of(status),
          attempt.latencyNanos());
    }
  }

  /** The outlier detector ejected {@code endpoint}. */
  public void ejected(EndpointState endpoint) {
    if (meters != null) {
      meters.ejected(endpoint);
    }
  }

  /** A decision about the call: an event on the caller's span. */
  @Override
  public void decision(CallContext call, DecisionKind kind, Endpoint endpoint, String detail) {
    decided(tracer == null ? null : AttemptTracer.spanOf(call), kind, detail);
  }

  /**
   * A decision inside one attempt: an event on that attempt's span once it has one, else on the
   * caller's.
   */
  @Override
  public void decision(AttemptState attempt, DecisionKind kind, String detail) {
    decided(tracer == null ? null : AttemptTracer.spanOf(attempt), kind, detail);
  }

  private void decided(Span span, DecisionKind kind, String detail) {
    AttemptTracer.event(span, kind, detail);
    if (meters != null) {
      meters.decision(kind, detail);
    }
  }

  /** An ejection tipped by an attempt shows as an event on that attempt's span. */
  @Override
  public void endpointEvent(
      ServiceName service,
      DecisionKind kind,
      Endpoint endpoint,
      String detail,
      AttemptState attempt) {
    if (tracer != null) {
      AttemptTracer.event(AttemptTracer.spanOf(attempt), kind, detail);
    }
  }

  /**
   * Tracing takes every kind but picks, which the attempt's span carries itself (the pick comes
   * before the span starts); metrics take the kinds they count.
   */
  @Override
  public boolean records(DecisionKind kind) {
    return (tracer != null && kind != DecisionKind.PICK)
        || (meters != null && ServiceMeters.counts(kind));
  }

  /** For a decision about the call: see {@link #wants}; its event would go on the caller's span. */
  @Override
  public boolean records(CallContext call, DecisionKind kind) {
    return wants(kind, tracer == null ? null : AttemptTracer.spanOf(call));
  }

  /**
   * For a decision inside the attempt: see {@link #wants}; its event would go on the attempt's
   * span, else the caller's.
   */
  @Override
  public boolean records(AttemptState attempt, DecisionKind kind) {
    return wants(kind, tracer == null ? null : AttemptTracer.spanOf(attempt));
  }

  /**
   * Metrics want the kinds they count; tracing wants a detail only when {@code span}, the one it
   * would become an event on, is recording: most calls of a sampled service are not sampled, and
   * their details would be built only to be dropped. The caller passes the span the emission will
   * use, so the check cannot disagree with it.
   */
  private boolean wants(DecisionKind kind, Span span) {
    return (meters != null && ServiceMeters.counts(kind))
        || (kind != DecisionKind.PICK && AttemptTracer.recording(span));
  }

  /**
   * The call's path template: the caller's (Retrofit), else the configured mapper's, else {@code
   * null}. Worked out once per call and kept on it ("" for none).
   */
  private String template(CallContext call) {
    String known = call.pathTemplate();
    if (known == null) {
      MeshRequest request = call.request();
      known = request.pathTemplate();
      if (known == null && pathTemplate != null) {
        try {
          known = pathTemplate.apply(request.path());
        } catch (RuntimeException e) {
          log.warn(
              "telemetry pathTemplate mapper failed for a request; leaving the template out: {}",
              e.toString());
        }
      }
      known = known == null ? "" : known;
      call.pathTemplate(known);
    }
    return known.isEmpty() ? null : known;
  }

  /**
   * The method as the conventions want it: a known method, or {@code _OTHER}, so an odd method
   * cannot add a tag value.
   */
  static String method(String method) {
    return KNOWN_METHODS.contains(method) ? method : "_OTHER";
  }

  @Override
  public void close() {
    if (meters != null) {
      meters.close();
    }
  }
}

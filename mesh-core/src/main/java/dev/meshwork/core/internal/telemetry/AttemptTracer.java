package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.AttemptState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One CLIENT span per physical attempt, following the stable OpenTelemetry HTTP client conventions.
 * Each span's parent is the caller's context captured when the call began, not the current
 * thread's, so hedged attempts on other threads and retries are siblings under the caller's span.
 * Attributes are built only for recording spans; the context is injected into the attempt's headers
 * whether or not the span records, so downstream services follow the sampling decision.
 */
final class AttemptTracer {
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> METHOD_ORIGINAL =
      AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  static final AttributeKey<String> URL_TEMPLATE = AttributeKey.stringKey("url.template");
  static final AttributeKey<Long> STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> MESH_SERVICE = AttributeKey.stringKey("mesh.service");
  static final AttributeKey<String> MESH_BALANCER = AttributeKey.stringKey("mesh.balancer");
  static final AttributeKey<String> MESH_DETAIL = AttributeKey.stringKey("mesh.detail");
  static final AttributeKey<Boolean> MESH_CANCELLED =
      AttributeKey.booleanKey("mesh.attempt.cancelled");

  private static final TextMapSetter<AttemptState> HEADERS =
      (attempt, name, value) -> {
        if (attempt != null) {
          attempt.header(name, value);
        }
      };
  private static final Map<DecisionKind, String> EVENT_NAMES = new EnumMap<>(DecisionKind.class);

  static {
    for (DecisionKind kind : DecisionKind.values()) {
      EVENT_NAMES.put(kind, "mesh." + kind.name().toLowerCase(Locale.ROOT));
    }
  }

  private final Tracer tracer;
  private final TextMapPropagator propagator;

  /**
   * @param propagator how to inject the context
   */
  AttemptTracer(Tracer tracer, TextMapPropagator propagator) {
    this.tracer = tracer;
    this.propagator = propagator;
  }

  /**
   * Starts the attempt's span as a child of {@code parent} (the caller's context when the call
   * began, or {@code null}), injects its context into the attempt's headers and returns that
   * context.
   */
  Context start(AttemptState attempt, Context parent, String method, String template) {
    if (parent == null) {
      parent = Context.root();
    }
    Span span =
        tracer
            .spanBuilder(template == null ? method : method + " " + template)
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    if (span.isRecording()) {
      describe(span, attempt, method, template);
    }
    Context context = parent.with(span);
    propagator.inject(context, attempt, HEADERS);
    return context;
  }

  private void describe(Span span, AttemptState attempt, String method, String template) {
    CallContext call = attempt.call();
    MeshRequest request = call.request();
    EndpointState picked = attempt.endpoint();
    Endpoint endpoint = picked.endpoint();
    span.setAttribute(METHOD, method);
    if (!method.equals(request.method())) {
      span.setAttribute(METHOD_ORIGINAL, request.method());
    }
    span.setAttribute(SERVER_ADDRESS, endpoint.host());
    span.setAttribute(SERVER_PORT, endpoint.port());
    span.setAttribute(
        URL_FULL,
        UrlRedaction.fullUrl(
            call.target().tls() ? "https" : "http",
            picked.address(),
            request.path(),
            request.query()));
    if (template != null) {
      span.setAttribute(URL_TEMPLATE, template);
    }
    if (attempt.attempt() > 0) {
      span.setAttribute(RESEND_COUNT, attempt.attempt());
    }
    span.setAttribute(MESH_SERVICE, call.target().service().value());
    span.addEvent(
        EVENT_NAMES.get(DecisionKind.PICK),
        Attributes.of(
            SERVER_ADDRESS, picked.address(), MESH_BALANCER, call.target().balancerName()));
  }

  /**
   * Ends the attempt's span with the answer's {@code status}, or with {@code failure} when there
   * was none; a {@code cancelled} attempt (no verdict on its endpoint) is marked so, not as an
   * error.
   */
  void end(Context context, int status, Throwable failure, boolean cancelled) {
    Span span = Span.fromContext(context);
    if (span.isRecording()) {
      if (status < 0 && cancelled) {
        span.setAttribute(MESH_CANCELLED, true);
      } else if (status >= 0) {
        span.setAttribute(STATUS_CODE, status);
        if (status >= 400) {
          // Client spans treat every 4xx and 5xx as an error (HTTP semantic conventions).
          span.setAttribute(ERROR_TYPE, Integer.toString(status));
          span.setStatus(StatusCode.ERROR);
        }
      } else if (failure != null) {
        Throwable cause =
            failure instanceof MeshException.EndpointFailed && failure.getCause() != null
                ? failure.getCause()
                : failure;
        span.setAttribute(ERROR_TYPE, cause.getClass().getName());
        span.setStatus(StatusCode.ERROR, cause.getClass().getSimpleName());
        span.recordException(cause);
      }
    }
    span.end();
  }

  /**
   * A decision as an event on {@code span} (the one it belongs on, see {@link ObservedCall}); lost
   * when it is {@code null} or does not record.
   */
  static void event(Span span, DecisionKind kind, String detail) {
    if (recording(span)) {
      span.addEvent(EVENT_NAMES.get(kind), Attributes.of(MESH_DETAIL, detail));
    }
  }

  /** Whether an event on {@code span} would be kept, so a decision's detail is worth building. */
  static boolean recording(Span span) {
    return span != null && span.isRecording();
  }
}

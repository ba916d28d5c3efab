package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.pipeline.CallContext;
import dev.meshwork.core.internal.pipeline.CallListener;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's traces and metrics: listens to each of its calls through an {@link ObservedCall},
 * which keeps the call's spans, and counts ejections. Parts that are off cost one null check: a
 * no-op OpenTelemetry means no tracer, no registry means no meters.
 */
public final class ServiceTelemetry implements CallListener.Factory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServiceTelemetry.class);
  static final String INSTRUMENTATION_SCOPE = "dev.meshwork";

  /** The value of {@code url.template} when a call has no template: raw paths never become tags. */
  static final String NO_TEMPLATE = "none";

  private static final Set<String> KNOWN_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  /** The service's tracer, or {@code null} when tracing is off. */
  final AttemptTracer tracer;

  /** The service's meters, or {@code null} when metrics are off. */
  final ServiceMeters meters;

  private final Function<String, String> pathTemplate;

  public ServiceTelemetry(Telemetry telemetry, ObservedService service) {
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

  @Override
  public CallListener newCall(CallContext call) {
    return new ObservedCall(this);
  }

  /** A sweep ejected {@code endpoint}: counted; no call, so no span to tell. */
  @Override
  public void ejected(ServiceName service, EndpointState endpoint, String why) {
    if (meters != null) {
      meters.ejected(endpoint);
    }
  }

  /** Whether metrics want a decision of {@code kind}: the kinds they count. */
  boolean metered(DecisionKind kind) {
    return meters != null && ServiceMeters.counts(kind);
  }

  /**
   * The path template of {@code request}: the caller's (Retrofit), else the configured mapper's,
   * else {@code null}.
   */
  String template(MeshRequest request) {
    String known = request.pathTemplate();
    if (known == null && pathTemplate != null) {
      try {
        known = pathTemplate.apply(request.path());
      } catch (RuntimeException e) {
        log.warn(
            "telemetry pathTemplate mapper failed for a request; leaving the template out: {}",
            e.toString());
      }
    }
    return known;
  }

  /**
   * The method as the conventions want it: a known method, or {@code _OTHER}, so an odd method
   * cannot add a tag value.
   */
  static String method(String method) {
    return KNOWN_METHODS.contains(method) ? method : "_OTHER";
  }

  /** Moves the breaker and TLS gauges to the service's current ones after a config swap. */
  public void rebind() {
    if (meters != null) {
      meters.rebind();
    }
  }

  @Override
  public void close() {
    if (meters != null) {
      meters.close();
    }
  }
}

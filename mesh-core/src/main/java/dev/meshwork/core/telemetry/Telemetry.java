package dev.meshwork.core.telemetry;

import dev.meshwork.core.exception.MeshConfigException;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a mesh sends its traces and metrics. Set it with {@code Mesh.builder().telemetry(...)}; the
 * default, {@link #disabled()}, records nothing and costs nothing.
 *
 * <pre>{@code
 * Telemetry telemetry = Telemetry.builder()
 *     .openTelemetry(GlobalOpenTelemetry.get())   // the application's SDK, or the Java agent's
 *     .meterRegistry(prometheusRegistry)
 *     .pathTemplate(path -> path.startsWith("/render/") ? "/render/{format}" : null)
 *     .build();
 * }</pre>
 *
 * <p><b>Traces.</b> One CLIENT span per physical attempt (retries and hedges are siblings under the
 * caller's current span), with the stable HTTP client attributes; the attempt's trace context is
 * injected with the OpenTelemetry's propagators, or in W3C {@code traceparent} when they inject
 * nothing (an {@code OpenTelemetrySdk} built without {@code setPropagators}). Mesh decisions (retry
 * and its reason, budget refusal, rejection, ejection, route, fault) become span events. {@code
 * url.full} never carries user info, and the values of credential-like query parameters are
 * replaced by {@code REDACTED}. With the OpenTelemetry Java agent, pass {@code
 * GlobalOpenTelemetry.get()} and switch off the agent's own OkHttp instrumentation ({@code
 * -Dotel.instrumentation.okhttp.enabled=false}): the agent suppresses nested CLIENT spans only when
 * its own instrumenters started the outer one, so under either {@code
 * otel.instrumentation.experimental.span-suppression-strategy} ({@code semconv} or {@code
 * span-kind}) it would add a second span per attempt under the mesh's.
 *
 * <p><b>Metrics</b> (Micrometer), tagged {@code mesh.service} and, per endpoint, {@code
 * mesh.endpoint}: {@value #REQUEST_DURATION} (a timer in seconds, one sample per attempt, also
 * tagged {@code http.request.method}, {@code url.template} and {@code outcome}), {@code
 * mesh.retries} (by {@code reason}), {@code mesh.retry.budget.refused}, {@code mesh.rejected} (by
 * {@code reason}), {@code mesh.faults.injected}, {@code mesh.ejections}, {@code
 * mesh.circuit.state}, {@code mesh.endpoints.total}, {@code mesh.endpoints.healthy}, {@code
 * mesh.requests.active}, {@code mesh.endpoint.requests.active}, {@code mesh.discovery.staleness}
 * and the transport's {@code http.client.open_connections}. Percentiles and histogram buckets are
 * not published by default; turn them on with a Micrometer {@code MeterFilter} for {@value
 * #REQUEST_DURATION}.
 */
public final class Telemetry {
  /** The name of the per-attempt duration timer (the OpenTelemetry HTTP client convention). */
  public static final String REQUEST_DURATION = "http.client.request.duration";

  /** Default for {@link Builder#endpointTagLimit}. */
  public static final int DEFAULT_ENDPOINT_TAG_LIMIT = 100;

  private static final Telemetry NONE =
      new Telemetry(OpenTelemetry.noop(), null, DEFAULT_ENDPOINT_TAG_LIMIT, null);

  private final OpenTelemetry openTelemetry;
  private final MeterRegistry meterRegistry;
  private final int endpointTagLimit;
  private final Function<String, String> pathTemplate;

  private Telemetry(
      OpenTelemetry openTelemetry,
      MeterRegistry meterRegistry,
      int endpointTagLimit,
      Function<String, String> pathTemplate) {
    this.openTelemetry = openTelemetry;
    this.meterRegistry = meterRegistry;
    this.endpointTagLimit = endpointTagLimit;
    this.pathTemplate = pathTemplate;
  }

  /** No traces, no metrics: the default. */
  public static Telemetry disabled() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where spans go and how context propagates; {@link OpenTelemetry#noop()} when tracing is off.
   */
  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Where meters are registered; empty when metrics are off. */
  public Optional<MeterRegistry> meterRegistry() {
    return Optional.ofNullable(meterRegistry);
  }

  /**
   * How many endpoints per service get their own {@code mesh.endpoint} tag; the rest share {@code
   * other}.
   */
  public int endpointTagLimit() {
    return endpointTagLimit;
  }

  /**
   * Maps a request path to its template when the call carries none (Retrofit calls carry theirs);
   * empty when only Retrofit templates are used.
   */
  public Optional<Function<String, String>> pathTemplate() {
    return Optional.ofNullable(pathTemplate);
  }

  /** Whether this records anything at all. */
  public boolean enabled() {
    return meterRegistry != null || openTelemetry != OpenTelemetry.noop();
  }

  @Override
  public String toString() {
    return "Telemetry{tracing="
        + (openTelemetry == OpenTelemetry.noop() ? "off" : "on")
        + ", metrics="
        + (meterRegistry == null ? "off" : meterRegistry.getClass().getSimpleName())
        + ", endpointTagLimit="
        + endpointTagLimit
        + ", pathTemplate="
        + (pathTemplate == null ? "Retrofit only" : "mapper")
        + "}";
  }

  /** Collects the telemetry settings; {@link #build()} validates them. */
  public static final class Builder {
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private MeterRegistry meterRegistry;
    private int endpointTagLimit = DEFAULT_ENDPOINT_TAG_LIMIT;
    private Function<String, String> pathTemplate;

    private Builder() {}

    /**
     * Traces go through {@code openTelemetry}; default {@link OpenTelemetry#noop()} (no tracing).
     */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = openTelemetry;
      return this;
    }

    /** Metrics are registered in {@code registry}; default none (no metrics). */
    public Builder meterRegistry(MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /**
     * At most {@code limit} endpoints of a service get their own {@code mesh.endpoint} tag (first
     * come, first served); later ones are tagged {@code other}, so a service with thousands of
     * instances cannot flood the registry. Default {@value Telemetry#DEFAULT_ENDPOINT_TAG_LIMIT}; 0
     * tags every endpoint {@code other}.
     */
    public Builder endpointTagLimit(int limit) {
      this.endpointTagLimit = limit;
      return this;
    }

    /**
     * Maps a raw request path (such as {@code /render/svg}) to a low-cardinality template (such as
     * {@code /render/{format}}), or to {@code null} when it has none, for calls that do not carry a
     * Retrofit template. Without a mapper such calls are tagged {@code url.template=none}: raw
     * paths are never used as tags. Called once per attempt, so keep it cheap.
     */
    public Builder pathTemplate(Function<String, String> mapper) {
      this.pathTemplate = mapper;
      return this;
    }

    /**
     * @throws MeshConfigException naming the field that is wrong
     */
    public Telemetry build() {
      if (openTelemetry == null) {
        throw new MeshConfigException(
            "telemetry openTelemetry",
            null,
            "an OpenTelemetry instance, such as GlobalOpenTelemetry.get(), or OpenTelemetry.noop() for no tracing");
      }
      if (endpointTagLimit < 0) {
        throw new MeshConfigException(
            "telemetry endpointTagLimit", endpointTagLimit, "zero or more");
      }
      return new Telemetry(openTelemetry, meterRegistry, endpointTagLimit, pathTemplate);
    }
  }
}

package dev.meshwork.core.internal.telemetry;

import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.internal.resilience.ServiceBreaker;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * One service's Micrometer meters. Gauges read the service's live state when scraped (nothing on
 * the hot path); counters are created once and cached here or on each endpoint's {@link
 * EndpointMeters}. Tag values are bounded: endpoints beyond the configured cap share {@code other},
 * and so do reasons beyond {@link #MAX_REASONS}.
 */
final class ServiceMeters implements AutoCloseable {
  static final String OTHER = "other";

  /**
   * Distinct retry or rejection reasons tagged per service; they are few by construction, this is a
   * guard.
   */
  static final int MAX_REASONS = 32;

  private static final String[] BREAKER_STATES = {"CLOSED", "OPEN", "HALF_OPEN"};

  private final MeterRegistry registry;
  private final ObservedService service;
  private final Tags tags;
  private final int endpointTagLimit;
  private final List<Meter> registered = new ArrayList<>();

  /** Addresses that got their own tag; only these, so the map is bounded by the cap. */
  private final Map<String, String> endpointTags = new ConcurrentHashMap<>();

  private final Set<String> gaugedEndpointTags = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> retries = new ConcurrentHashMap<>();
  private final Map<String, Counter> rejections = new ConcurrentHashMap<>();
  private final Counter budgetRefused;
  private final Counter faultDelays;
  private final Counter faultAborts;

  /**
   * The gauges of {@link #boundBreaker} and {@link #boundTls}; {@code null} before the first bind.
   */
  private List<Meter> bindings;

  private ServiceBreaker boundBreaker;
  private ClientTls boundTls;

  /**
   * Gauges hold their state weakly: they read this object, which lives as long as the service's
   * telemetry.
   */
  ServiceMeters(MeterRegistry registry, ObservedService service, int endpointTagLimit) {
    this.registry = registry;
    this.service = service;
    this.endpointTagLimit = endpointTagLimit;
    this.tags = Tags.of("mesh.service", service.name().value());
    budgetRefused =
        counter(
            "mesh.retry.budget.refused",
            "Retries refused because the retry budget was spent",
            tags);
    faultDelays =
        counter("mesh.faults.injected", "Faults injected into calls", tags.and("fault", "delay"));
    faultAborts =
        counter("mesh.faults.injected", "Faults injected into calls", tags.and("fault", "abort"));
    gauge("mesh.endpoints.total", "Endpoints discovery lists", m -> m.endpoints().size());
    gauge(
        "mesh.endpoints.healthy",
        "Endpoints neither ejected nor failing health checks",
        ServiceMeters::healthy);
    gauge("mesh.requests.active", "Attempts in flight", ServiceMeters::active);
    register(
        Gauge.builder("mesh.discovery.staleness", this, ServiceMeters::staleness)
            .tags(tags)
            .baseUnit("seconds")
            .description("Seconds since discovery last answered; NaN before its first answer")
            .register(registry));
    rebind();
  }

  /**
   * Registers the gauges of the service's current breaker and client TLS, replacing those of the
   * ones before when a config swap changed them.
   */
  synchronized void rebind() {
    ServiceBreaker breaker = service.breaker().get();
    ClientTls tls = service.tls().get();
    if (bindings != null && breaker == boundBreaker && tls == boundTls) {
      return;
    }
    if (bindings != null) {
      for (Meter meter : bindings) {
        registry.remove(meter);
        synchronized (registered) {
          registered.remove(meter);
        }
      }
    }
    List<Meter> bound = new ArrayList<>();
    if (breaker != null) {
      for (String state : BREAKER_STATES) {
        bound.add(
            register(
                Gauge.builder("mesh.circuit.state", breaker, b -> state.equals(b.state()) ? 1 : 0)
                    .tags(tags.and("state", state))
                    .description("1 for the circuit breaker's current state, 0 for the others")
                    .register(registry)));
      }
    }
    if (tls != null) {
      // Read at scrape time, so a rotated certificate shows at once; NaN when the TLS cannot
      // describe it.
      bound.add(
          register(
              Gauge.builder(
                      "mesh.tls.certificate.expiry",
                      tls,
                      t ->
                          t.certificate()
                              .map(c -> (double) c.secondsToExpiry(service.clock().now()))
                              .orElse(Double.NaN))
                  .tags(tags)
                  .baseUnit("seconds")
                  .description(
                      "Seconds until the client certificate this service's calls present expires")
                  .register(registry)));
    }
    bindings = bound;
    boundBreaker = breaker;
    boundTls = tls;
  }

  /** The meters of {@code endpoint}, made on first use and kept on its statistics. */
  EndpointMeters of(EndpointState endpoint) {
    return endpoint.stats().meters() instanceof EndpointMeters meters ? meters : create(endpoint);
  }

  private synchronized EndpointMeters create(EndpointState endpoint) {
    EndpointStats stats = endpoint.stats();
    if (stats.meters() instanceof EndpointMeters made) {
      return made;
    }
    String address = endpoint.address();
    String tag = endpointTags.get(address);
    if (tag == null && endpointTags.size() < endpointTagLimit) {
      tag = address;
      endpointTags.put(address, tag);
    }
    if (tag == null) {
      tag = OTHER;
    }
    Tags endpointTags = tags.and("mesh.endpoint", tag);
    if (gaugedEndpointTags.add(tag)) {
      String gauged = tag;
      register(
          Gauge.builder("mesh.endpoint.requests.active", this, m -> m.activeTagged(gauged))
              .tags(endpointTags)
              .description(
                  "Attempts in flight to the endpoint (to all endpoints tagged other, for that tag)")
              .register(registry));
    }
    Counter ejections =
        counter("mesh.ejections", "Times the outlier detector ejected the endpoint", endpointTags);
    EndpointMeters meters =
        new EndpointMeters(
            tag,
            endpointTags,
            ejections,
            all ->
                register(
                    Timer.builder(Telemetry.REQUEST_DURATION)
                        .description("Duration of each HTTP attempt the mesh sent")
                        .tags(all)
                        .register(registry)));
    stats.meters(meters);
    return meters;
  }

  void record(
      EndpointState endpoint,
      String method,
      String template,
      EndpointMeters.Outcome outcome,
      long nanos) {
    of(endpoint)
        .timer(method, template, outcome)
        .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void ejected(EndpointState endpoint) {
    of(endpoint).ejections().increment();
  }

  /** Counts a decision that has a counter; {@code reason} is the detail's leading token. */
  void decision(DecisionKind kind, String detail) {
    switch (kind) {
      case RETRY ->
          reasonCounter(retries, "mesh.retries", "Retries (and hedged attempts) by reason", detail)
              .increment();
      case REJECTED ->
          reasonCounter(
                  rejections,
                  "mesh.rejected",
                  "Attempts turned away by the breaker or a limit",
                  detail)
              .increment();
      case BUDGET_REFUSED -> budgetRefused.increment();
      case FAULT_DELAY -> faultDelays.increment();
      case FAULT_ABORT -> faultAborts.increment();
      default -> {}
    }
  }

  static boolean counts(DecisionKind kind) {
    return switch (kind) {
      case RETRY, REJECTED, BUDGET_REFUSED, FAULT_DELAY, FAULT_ABORT -> true;
      default -> false;
    };
  }

  private Counter reasonCounter(
      Map<String, Counter> counters, String name, String description, String detail) {
    String reason = reason(detail);
    Counter counter = counters.get(reason);
    if (counter == null) {
      synchronized (counters) {
        counter = counters.get(reason);
        if (counter == null) {
          String tag = counters.size() < MAX_REASONS ? reason : OTHER;
          counter =
              counters.get(tag); // past the cap every new reason shares the one "other" counter
          if (counter == null) {
            counter = counter(name, description, tags.and("reason", tag));
            counters.put(tag, counter);
          }
          // Kept under the reason too, so its next calls find it without the lock. The map
          // stays bounded: only reasons seen while under the cap, plus those mapped to other.
          counters.putIfAbsent(reason, counter);
        }
      }
    }
    return counter;
  }

  /** The leading token of a decision's detail: everything before {@code ": "}. */
  static String reason(String detail) {
    if (detail == null || detail.isEmpty()) {
      return "unknown";
    }
    int colon = detail.indexOf(": ");
    return colon < 0 ? detail : detail.substring(0, colon);
  }

  private Counter counter(String name, String description, Tags tags) {
    return register(Counter.builder(name).description(description).tags(tags).register(registry));
  }

  private void gauge(String name, String description, ToDoubleFunction<ServiceMeters> value) {
    register(
        Gauge.builder(name, this, value).tags(tags).description(description).register(registry));
  }

  private List<EndpointState> endpoints() {
    return service.endpoints().get();
  }

  private <M extends Meter> M register(M meter) {
    synchronized (registered) {
      registered.add(meter);
    }
    return meter;
  }

  private double healthy() {
    int healthy = 0;
    for (EndpointState state : endpoints()) {
      if (!state.stats().outlier().ejected() && state.stats().health().healthy()) {
        healthy++;
      }
    }
    return healthy;
  }

  private double active() {
    int active = 0;
    for (EndpointState state : endpoints()) {
      active += state.activeRequests();
    }
    return active;
  }

  /** Active attempts of the current endpoints whose meters carry {@code tag}. */
  private double activeTagged(String tag) {
    int active = 0;
    for (EndpointState state : endpoints()) {
      if (state.stats().meters() instanceof EndpointMeters meters && meters.tag().equals(tag)) {
        active += state.activeRequests();
      }
    }
    return active;
  }

  private double staleness() {
    return service
        .discovery()
        .get()
        .staleness(service.clock().now())
        .map(Duration::toNanos)
        .map(n -> n / 1e9)
        .orElse(Double.NaN);
  }

  /** Removes this service's meters from the registry: a closed mesh leaves no gauges behind. */
  @Override
  public void close() {
    synchronized (registered) {
      registered.forEach(registry::remove);
      registered.clear();
    }
  }
}

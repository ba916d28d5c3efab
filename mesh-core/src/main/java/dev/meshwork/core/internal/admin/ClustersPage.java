package dev.meshwork.core.internal.admin;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.discovery.DiscoveryHealth;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.internal.endpoint.OutlierState;
import java.time.Instant;

/**
 * {@code /clusters}: per service, the live endpoint set as calls see it (weights, zones, labels,
 * health, ejection, load, latency), panic mode, breaker state and discovery health.
 */
final class ClustersPage implements AdminPage {
  private final AdminContext context;

  ClustersPage(AdminContext context) {
    this.context = context;
  }

  @Override
  public AdminResponse render() {
    Instant now = context.clock().now();
    long nowNanos = context.clock().nanoTime();
    JsonWriter json = new JsonWriter().beginObject().field("time", now).name("services").beginArray();
    for (ServiceRuntime service : context.services()) {
      EndpointSet set = service.endpointSet();
      int usable = 0;
      for (EndpointState state : set.states()) {
        usable += usable(state.stats()) ? 1 : 0;
      }
      json.beginObject()
          .field("name", service.service().value())
          .field("loadBalancer", service.config().loadBalancer().name())
          .field("breaker", service.breaker() == null ? "DISABLED" : service.breaker().state())
          .field("panic", service.panic())
          .field("healthyEndpoints", usable)
          .field("totalEndpoints", set.states().size())
          .field("endpointSetVersion", set.version())
          .field("endpointSetUpdatedAt", set.updatedAt());
      json.name("discovery");
      discovery(json, service.health(), now);
      json.name("endpoints").beginArray();
      for (EndpointState state : set.states()) {
        endpoint(json, state, nowNanos);
      }
      json.endArray().endObject();
    }
    return AdminResponse.json(json.endArray().endObject());
  }

  private static boolean usable(EndpointStats stats) {
    return !stats.outlier().ejected() && stats.health().healthy();
  }

  private static void endpoint(JsonWriter json, EndpointState state, long nowNanos) {
    Endpoint endpoint = state.endpoint();
    EndpointStats stats = state.stats();
    OutlierState outlier = stats.outlier();
    boolean ejected = outlier.ejected();
    json.beginObject()
        .field("address", endpoint.address())
        .field("weight", endpoint.weight())
        .field("zone", endpoint.zone())
        .stringMap("labels", Redaction.entries(endpoint.labels()))
        .field("healthy", stats.health().healthy())
        .field("ejected", ejected)
        .field("ejections", outlier.ejections());
    // The volatile read of ejected() above makes the end time written before it visible.
    if (ejected) {
      json.field("ejectionRemainingMs", Math.max(0, (outlier.ejectedUntilNanos() - nowNanos) / 1_000_000));
    } else {
      json.name("ejectionRemainingMs").nullValue();
    }
    json.field("activeRequests", stats.activeRequests())
        .field("successes", stats.successes())
        .field("failures", stats.failures())
        .field("latencyEwmaMs", Math.round(stats.latencyEstimateNanos(nowNanos) / 1_000.0) / 1_000.0)
        .endObject();
  }

  static void discovery(JsonWriter json, DiscoveryHealth health, Instant now) {
    json.beginObject()
        .field("source", Redaction.text(health.source()))
        .field("status", health.status().name())
        .field("lastGoodAnswer", health.lastGoodAnswer());
    if (health.lastGoodAnswer() == null) {
      json.name("stalenessMs").nullValue();
    } else {
      json.field("stalenessMs", health.staleness(now).orElseThrow().toMillis());
    }
    json.field("lastErrorAt", health.lastErrorAt())
        .field("lastError", Redaction.text(health.lastError()));
    json.name("parts").beginArray();
    for (DiscoveryHealth part : health.parts()) {
      discovery(json, part, now);
    }
    json.endArray().endObject();
  }
}

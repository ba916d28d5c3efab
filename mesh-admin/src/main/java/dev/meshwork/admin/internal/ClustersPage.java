package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.Redaction;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * {@code /clusters}: per service, the live endpoint set as calls see it (weights, zones, labels,
 * health, ejection, load, latency), panic mode, breaker state and discovery health.
 */
final class ClustersPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;

  ClustersPage(Supplier<MeshSnapshot> mesh) {
    this.mesh = mesh;
  }

  @Override
  public AdminResponse render() {
    MeshSnapshot snapshot = mesh.get();
    ObjectNode json = Json.object().put("time", Json.time(snapshot.time()));
    ArrayNode services = json.putArray("services");
    for (MeshSnapshot.Service service : snapshot.services()) {
      int usable = 0;
      for (EndpointStatus status : service.endpoints()) {
        usable += status.usable() ? 1 : 0;
      }
      ObjectNode node =
          services
              .addObject()
              .put("name", service.name().value())
              .put("loadBalancer", service.config().loadBalancer().name())
              .put("breaker", service.breaker())
              .put("panic", service.panic())
              .put("healthyEndpoints", usable)
              .put("totalEndpoints", service.endpoints().size())
              .put("endpointSetVersion", service.endpointSetVersion())
              .put("endpointSetUpdatedAt", Json.time(service.endpointSetUpdatedAt().orElse(null)));
      node.set("discovery", discovery(service.discovery(), snapshot.time()));
      ArrayNode endpoints = node.putArray("endpoints");
      for (EndpointStatus status : service.endpoints()) {
        endpoints.add(endpoint(status));
      }
    }
    return AdminResponse.json(json);
  }

  private static ObjectNode endpoint(EndpointStatus status) {
    Endpoint endpoint = status.endpoint();
    ObjectNode json =
        Json.object()
            .put("address", endpoint.address())
            .put("weight", endpoint.weight())
            .put("zone", endpoint.zone());
    Json.stringMap(json, "labels", Redaction.entries(endpoint.labels()))
        .put("healthy", status.healthy())
        .put("ejected", status.ejected())
        .put("ejections", status.ejections());
    if (status.ejected()) {
      json.put("ejectionRemainingMs", status.ejectionRemaining().toMillis());
    } else {
      json.putNull("ejectionRemainingMs");
    }
    json.put("activeRequests", status.activeRequests())
        .put("successes", status.successes())
        .put("failures", status.failures());
    return Json.number(
        json, "latencyEwmaMs", Math.round(status.latency().toNanos() / 1_000.0) / 1_000.0);
  }

  static ObjectNode discovery(DiscoveryHealth health, Instant now) {
    ObjectNode json =
        Json.object()
            .put("source", Redaction.text(health.source()))
            .put("status", health.status().name())
            .put("lastGoodAnswer", Json.time(health.lastGoodAnswer().orElse(null)));
    if (health.lastGoodAnswer().isEmpty()) {
      json.putNull("stalenessMs");
    } else {
      json.put("stalenessMs", health.staleness(now).orElseThrow().toMillis());
    }
    json.put("lastErrorAt", Json.time(health.lastErrorAt().orElse(null)))
        .put("lastError", Redaction.text(health.lastError().orElse(null)));
    ArrayNode parts = json.putArray("parts");
    for (DiscoveryHealth part : health.parts()) {
      parts.add(discovery(part, now));
    }
    return json;
  }
}

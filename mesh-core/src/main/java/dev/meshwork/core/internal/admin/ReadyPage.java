package dev.meshwork.core.internal.admin;

import dev.meshwork.core.discovery.DiscoveryHealth;
import dev.meshwork.core.internal.ServiceRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /ready}: 200 once every service's discovery has answered once and that answer is in
 * use (an empty answer counts, as for {@code Mesh.awaitDiscovery}); 503 before, naming the
 * services still waiting and their sources' last errors. For a readiness probe.
 */
final class ReadyPage implements AdminPage {
  private final AdminContext context;

  ReadyPage(AdminContext context) {
    this.context = context;
  }

  @Override
  public AdminResponse render() {
    // Read each service once, so the verdict and the per-service lines agree.
    List<Boolean> answered = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (ServiceRuntime service : context.services()) {
      boolean has = service.endpointSet().snapshot() != null;
      answered.add(has);
      if (!has) {
        waiting.add(service.service().value());
      }
    }
    JsonWriter json = new JsonWriter().beginObject()
        .field("ready", waiting.isEmpty())
        .strings("waiting", waiting)
        .name("services").beginArray();
    for (int i = 0; i < context.services().size(); i++) {
      ServiceRuntime service = context.services().get(i);
      DiscoveryHealth health = service.health();
      json.beginObject()
          .field("name", service.service().value())
          .field("ready", answered.get(i))
          .field("discovery", health.status().name())
          .field("source", Redaction.text(health.source()))
          .field("lastError", Redaction.text(health.lastError()))
          .endObject();
    }
    return AdminResponse.json(waiting.isEmpty() ? 200 : 503, json.endArray().endObject());
  }
}

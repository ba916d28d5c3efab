package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.Redaction;
import java.util.function.Supplier;

/**
 * {@code /ready}: 200 once every service's discovery has answered once and that answer is in use
 * (an empty answer counts, as for {@code Mesh.awaitDiscovery}); 503 before, naming the services
 * still waiting and their sources' last errors. For a readiness probe.
 */
final class ReadyPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;

  ReadyPage(Supplier<MeshSnapshot> mesh) {
    this.mesh = mesh;
  }

  @Override
  public AdminResponse render() {
    // One snapshot, so the verdict and the per-service lines agree.
    MeshSnapshot snapshot = mesh.get();
    ObjectNode json = Json.object().put("ready", snapshot.ready());
    Json.strings(
        json,
        "waiting",
        snapshot.services().stream()
            .filter(s -> !s.discovered())
            .map(s -> s.name().value())
            .toList());
    ArrayNode services = json.putArray("services");
    for (MeshSnapshot.Service service : snapshot.services()) {
      DiscoveryHealth health = service.discovery();
      services
          .addObject()
          .put("name", service.name().value())
          .put("ready", service.discovered())
          .put("discovery", health.status().name())
          .put("source", Redaction.text(health.source()))
          .put("lastError", Redaction.text(health.lastError().orElse(null)));
    }
    return AdminResponse.json(snapshot.ready() ? 200 : 503, json);
  }
}

package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.spi.Redaction;
import java.util.function.Supplier;

/**
 * {@code /decisions}: the mesh's recent decisions ({@code MeshBuilder.decisions(n)}), newest first.
 * Details are redacted like all free text.
 */
final class DecisionsPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;

  DecisionsPage(Supplier<MeshSnapshot> mesh) {
    this.mesh = mesh;
  }

  @Override
  public AdminResponse render() {
    MeshSnapshot snapshot = mesh.get();
    ObjectNode json =
        Json.object()
            .put("capacity", snapshot.decisionCapacity())
            .put("recorded", snapshot.decisionsRecorded());
    ArrayNode decisions = json.putArray("decisions");
    for (MeshSnapshot.Decision decision : snapshot.decisions()) {
      decisions
          .addObject()
          .put("sequence", decision.sequence())
          .put("time", Json.time(decision.time()))
          .put("service", decision.service())
          .put("kind", decision.kind())
          .put("detail", Redaction.text(decision.detail()))
          .put("endpoint", decision.endpoint().map(Endpoint::address).orElse(null))
          .put("call", decision.call().isPresent() ? decision.call().getAsLong() : null);
    }
    return AdminResponse.json(json);
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.telemetry.Telemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Writes the effective document: every setting, defaults included, services sorted by name. */
public final class MeshRenderer {
  /** The document's {@code apiVersion}. */
  public static final String API_VERSION = "meshwork.dev/v1alpha1";

  private MeshRenderer() {}

  public static ObjectNode render(MeshSettings settings, List<ServiceConfig> services) {
    ObjectNode root = Fields.newObject();
    root.put("apiVersion", API_VERSION);
    root.put("kind", "Mesh");
    root.set("mesh", mesh(settings));
    ObjectNode byName = root.putObject("services");
    services.stream()
        .sorted(Comparator.comparing(service -> service.name().value()))
        .forEach(service -> byName.set(service.name().value(), ServiceRenderer.render(service)));
    return root;
  }

  /** The effective {@code mesh} section alone. */
  public static ObjectNode mesh(MeshSettings settings) {
    ObjectNode mesh = Fields.newObject();
    settings.localZone().ifPresent(zone -> mesh.put("localZone", zone));
    UnknownHostPolicy unknownHosts =
        settings
            .unknownHosts()
            .orElse(
                settings.identity().isPresent()
                    ? UnknownHostPolicy.REFUSE_MESH_LIKE
                    : UnknownHostPolicy.PASS_THROUGH);
    mesh.put(
        "unknownHosts",
        unknownHosts == UnknownHostPolicy.PASS_THROUGH ? "passThrough" : "refuseMeshLike");
    mesh.set("meshDomains", Fields.array(settings.meshDomains()));
    mesh.put("decisions", settings.decisions());
    mesh.put("awaitDiscovery", Durations.format(settings.awaitDiscovery()));
    settings.randomSeed().ifPresent(seed -> mesh.put("randomSeed", seed));
    ObjectNode telemetry = mesh.putObject("telemetry");
    telemetry.put("tracing", settings.tracing());
    telemetry.put("metrics", settings.metrics());
    telemetry.put("endpointTagLimit", settings.endpointTagLimit());
    settings.identity().ifPresent(identity -> mesh.set("identity", identity.deepCopy()));
    settings
        .admin()
        .ifPresent(
            admin -> {
              ObjectNode node = mesh.putObject("admin");
              node.put("port", admin.port());
              node.put("bindAddress", admin.bindAddress());
              node.put("allowNonLoopback", admin.allowNonLoopback());
              node.set("allowedHosts", Fields.array(admin.allowedHosts()));
            });
    return mesh;
  }

  /**
   * The mesh-wide settings of a running mesh. What a mesh does not keep once built (how long
   * build() waited for discovery, the random seed, the admin section) comes from {@code
   * remembered}, the settings of the document the mesh was built from, when there is one.
   */
  public static MeshSettings settings(Mesh mesh, Optional<MeshSettings> remembered) {
    MeshSnapshot snapshot = mesh.snapshot();
    Telemetry telemetry = mesh.telemetry();
    return new MeshSettings(
        mesh.localZone(),
        Optional.of(mesh.unknownHosts()),
        snapshot.meshDomains(),
        snapshot.decisionCapacity(),
        remembered.map(MeshSettings::awaitDiscovery).orElse(Duration.ZERO),
        remembered.flatMap(MeshSettings::randomSeed),
        telemetry.openTelemetry() != OpenTelemetry.noop(),
        telemetry.meterRegistry().isPresent(),
        telemetry.endpointTagLimit(),
        mesh.security().map(Identity::render),
        remembered.flatMap(MeshSettings::admin));
  }
}

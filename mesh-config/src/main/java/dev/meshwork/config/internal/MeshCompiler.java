package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.MeshBuilder;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.telemetry.Telemetry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compiles a whole checked document: its mesh section and each of its services. */
public final class MeshCompiler {
  private MeshCompiler() {}

  /** The compiled document. */
  public record Compiled(MeshSettings settings, List<ServiceConfig> services) {}

  /**
   * Checks {@code root} against the schema and compiles it.
   *
   * @throws Issue.Refused listing every problem
   */
  public static Compiled compile(ObjectNode root, String source, Map<String, Location> locations) {
    Problems problems = new Problems(source, locations);
    SchemaCheck.check(root, problems);
    problems.throwIfAny();
    MeshSettings settings = settings(Fields.object(root, "mesh"), problems);
    List<ServiceConfig> services = new ArrayList<>();
    JsonNode declared = root.get("services");
    if (declared != null) {
      Iterator<Map.Entry<String, JsonNode>> entries = declared.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        String path = DocPath.child("services", entry.getKey());
        ServiceConfig service =
            ServiceCompiler.compile(entry.getKey(), entry.getValue(), path, problems);
        if (service != null) {
          services.add(service);
          checkTls(service, settings, path, problems);
        }
      }
    }
    problems.throwIfAny();
    return new Compiled(settings, services);
  }

  /** What {@code MeshBuilder.build()} would refuse about TLS, found before anything is built. */
  private static void checkTls(
      ServiceConfig service, MeshSettings settings, String path, Problems problems) {
    boolean secure = settings.identity().isPresent();
    boolean mutual =
        service.tls().map(mode -> mode == dev.meshwork.core.security.TlsMode.MUTUAL).orElse(secure);
    if (mutual && !secure) {
      problems.add(
          DocPath.child(path, "tls"),
          "mutual",
          "mesh.identity (mutual TLS needs the mesh's identity), or tls: disabled");
    } else if (!mutual && !service.peerIdentities().isEmpty()) {
      problems.add(
          DocPath.child(path, "peerIdentities"),
          service.peerIdentities(),
          "no peer identities for a plaintext service; they need mutual TLS");
    }
  }

  private static MeshSettings settings(JsonNode mesh, Problems problems) {
    JsonNode telemetry = Fields.object(mesh, "telemetry");
    Optional<UnknownHostPolicy> unknownHosts =
        Fields.has(mesh, "unknownHosts")
            ? Optional.of(
                mesh.get("unknownHosts").asText().equals("passThrough")
                    ? UnknownHostPolicy.PASS_THROUGH
                    : UnknownHostPolicy.REFUSE_MESH_LIKE)
            : Optional.empty();
    List<String> domains = Fields.texts(mesh, "meshDomains");
    try {
      // The builder's own checks, so a bad domain is found now rather than at build().
      dev.meshwork.core.Mesh.builder().meshDomains(domains.toArray(String[]::new));
    } catch (MeshConfigException e) {
      problems.add("mesh.meshDomains", e);
    }
    Optional<ObjectNode> identity = Optional.empty();
    if (mesh.has("identity")) {
      identity = Optional.of(Identity.effective((ObjectNode) mesh.get("identity"), problems));
    }
    Optional<MeshSettings.Admin> admin = Optional.empty();
    if (mesh.has("admin")) {
      JsonNode node = mesh.get("admin");
      admin =
          Optional.of(
              new MeshSettings.Admin(
                  Fields.integer(node, "port", 9901),
                  Fields.text(node, "bindAddress", "127.0.0.1"),
                  Fields.bool(node, "allowNonLoopback", false),
                  Fields.texts(node, "allowedHosts")));
    }
    return new MeshSettings(
        Optional.ofNullable(Fields.text(mesh, "localZone", null)),
        unknownHosts,
        domains,
        Fields.integer(mesh, "decisions", 0),
        Fields.duration(mesh, "awaitDiscovery", Duration.ZERO),
        Fields.has(mesh, "randomSeed")
            ? Optional.of(mesh.get("randomSeed").asLong())
            : Optional.empty(),
        Fields.bool(telemetry, "tracing", false),
        Fields.bool(telemetry, "metrics", false),
        Fields.integer(telemetry, "endpointTagLimit", Telemetry.DEFAULT_ENDPOINT_TAG_LIMIT),
        identity,
        admin);
  }

  /** Applies the mesh-wide settings that need no side effects to {@code builder}. */
  public static void apply(MeshSettings settings, MeshBuilder builder) {
    settings.localZone().ifPresent(builder::localZone);
    settings.unknownHosts().ifPresent(builder::unknownHosts);
    builder.meshDomains(settings.meshDomains().toArray(String[]::new));
    builder.decisions(settings.decisions());
    builder.awaitDiscovery(settings.awaitDiscovery());
    settings.randomSeed().ifPresent(builder::randomSeed);
    if (settings.tracing()
        || settings.metrics()
        || settings.endpointTagLimit() != Telemetry.DEFAULT_ENDPOINT_TAG_LIMIT) {
      Telemetry.Builder telemetry =
          Telemetry.builder().endpointTagLimit(settings.endpointTagLimit());
      if (settings.tracing()) {
        telemetry.openTelemetry(io.opentelemetry.api.GlobalOpenTelemetry.get());
      }
      if (settings.metrics()) {
        telemetry.meterRegistry(io.micrometer.core.instrument.Metrics.globalRegistry);
      }
      builder.telemetry(telemetry.build());
    }
  }
}

package dev.meshwork.spring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.PeerSecurity.CertificateSummary;
import dev.meshwork.core.spi.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the Actuator endpoint and health indicator show, read from one {@link Mesh#snapshot()} and,
 * for each service's settings and routes, the effective document of {@link MeshConfig#of}: plain
 * maps and lists, so any JSON writer (Jackson 2 or 3) renders them. Free text the mesh did not
 * write (discovery sources and errors, labels, refused documents) passes {@link Redaction} first.
 */
public final class MeshView {
  private static final ObjectMapper JSON = new ObjectMapper();

  private MeshView() {}

  /** The whole mesh: configuration status, readiness, and each service with its endpoints. */
  public static Map<String, Object> of(Mesh mesh) {
    MeshSnapshot snapshot = mesh.snapshot();
    JsonNode document = effective(mesh);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("time", snapshot.time().toString());
    view.put("ready", snapshot.ready());
    view.put("config", status(snapshot.configStatus()));
    snapshot.localIdentity().ifPresent(identity -> view.put("identity", identity));
    Map<String, Object> services = new LinkedHashMap<>();
    for (MeshSnapshot.Service service : snapshot.services()) {
      services.put(
          service.name().value(),
          service(service, document.path("services").path(service.name().value())));
    }
    view.put("services", services);
    return view;
  }

  static Map<String, Object> status(ConfigStatus status) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("source", status.source());
    view.put("version", status.version());
    view.put("generation", status.generation());
    view.put("appliedAt", status.appliedAt().toString());
    status
        .lastError()
        .ifPresent(
            error -> {
              Map<String, Object> last = new LinkedHashMap<>();
              last.put("source", error.source());
              last.put("version", error.version());
              last.put("message", Redaction.text(error.message()));
              last.put("at", error.at().toString());
              view.put("lastError", last);
            });
    return view;
  }

  private static Map<String, Object> service(MeshSnapshot.Service service, JsonNode settings) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("discovered", service.discovered());
    view.put("discovery", discovery(service.discovery()));
    view.put("breaker", service.breaker());
    view.put("panic", service.panic());
    view.put("tls", service.tls());
    List<Object> endpoints = new ArrayList<>();
    for (MeshSnapshot.EndpointStatus status : service.endpoints()) {
      endpoints.add(endpoint(status));
    }
    view.put("endpoints", endpoints);
    view.put("ejected", service.endpoints().stream().filter(e -> e.ejected()).count());
    service
        .certificate()
        .ifPresent(c -> view.put("certificateNotAfter", leaf(c).notAfter().toString()));
    if (!settings.isMissingNode()) {
      view.put("settings", redacted(null, JSON.convertValue(settings, Object.class)));
    }
    return view;
  }

  private static Map<String, Object> discovery(DiscoveryHealth health) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("source", Redaction.text(health.source()));
    view.put("status", health.status().name());
    health.lastGoodAnswer().ifPresent(at -> view.put("lastGoodAnswer", at.toString()));
    health.lastError().ifPresent(error -> view.put("lastError", Redaction.text(error)));
    return view;
  }

  private static Map<String, Object> endpoint(MeshSnapshot.EndpointStatus status) {
    Endpoint endpoint = status.endpoint();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("address", endpoint.address());
    view.put("weight", endpoint.weight());
    view.put("zone", endpoint.zone());
    view.put("labels", Redaction.entries(endpoint.labels()));
    view.put("usable", status.usable());
    view.put("ejected", status.ejected());
    view.put("healthy", status.healthy());
    view.put("activeRequests", status.activeRequests());
    view.put("successes", status.successes());
    view.put("failures", status.failures());
    if (status.ejected()) {
      view.put("ejectionRemaining", status.ejectionRemaining().toString());
    }
    view.put("latencyMillis", status.latency().toNanos() / 1e6);
    return view;
  }

  /** The leaf certificate a service presents. */
  static CertificateSummary leaf(dev.meshwork.core.spi.PeerSecurity.CertificateInfo info) {
    return info.chain().get(0);
  }

  /** Whether a certificate valid from {@code notBefore} to {@code notAfter} is near its end. */
  static boolean nearExpiry(Instant notBefore, Instant notAfter, Instant now) {
    Duration lifetime = Duration.between(notBefore, notAfter);
    // Renewal starts at half the lifetime; a quarter left means it has failed for a long while.
    return Duration.between(now, notAfter).compareTo(lifetime.dividedBy(4)) < 0;
  }

  /** {@code value} with {@link Redaction#entry} applied to every string, keyed by its field. */
  private static Object redacted(String key, Object value) {
    if (value instanceof String text) {
      return Redaction.entry(key, text);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> shown = new LinkedHashMap<>();
      map.forEach((k, v) -> shown.put(String.valueOf(k), redacted(String.valueOf(k), v)));
      return shown;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(item -> redacted(key, item)).toList();
    }
    return value;
  }

  private static JsonNode effective(Mesh mesh) {
    try {
      return JSON.readTree(MeshConfig.of(mesh).toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

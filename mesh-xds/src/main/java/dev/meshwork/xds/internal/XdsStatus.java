package dev.meshwork.xds.internal;

import dev.meshwork.core.MeshClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the xDS client knows of itself, for the application and the admin view: whether the stream
 * is up, since when the configuration may be stale, the versions accepted, the last NACK, what is
 * still awaited, and every unsupported field of the accepted resources.
 */
public final class XdsStatus {
  private final MeshClock clock;
  private boolean connected;
  private String streamDetail = "not connected yet";
  private Instant lastContact;
  private Instant disconnectedSince;
  private final Map<ResourceType, String> versions = new EnumMap<>(ResourceType.class);
  private String lastNack;
  private final Map<String, String> targets = new LinkedHashMap<>();
  private List<Unsupported> unsupported = List.of();

  XdsStatus(MeshClock clock) {
    this.clock = clock;
  }

  synchronized void stream(boolean up, String detail) {
    if (up) {
      lastContact = clock.now();
      disconnectedSince = null;
    } else if (connected || disconnectedSince == null) {
      disconnectedSince = clock.now();
    }
    connected = up;
    streamDetail = detail;
  }

  synchronized void accepted(ResourceType type, String version) {
    versions.put(type, version);
    lastContact = clock.now();
  }

  synchronized void rejected(ResourceType type, String version, String error) {
    lastNack = type.kind() + " version " + version + ": " + error;
    lastContact = clock.now();
  }

  synchronized void plan(String target, ServiceAssembler.Plan plan) {
    String state =
        !plan.waitingFor().isEmpty()
            ? "waiting for " + plan.waitingFor()
            : plan.config().isPresent() ? "ready" : "absent";
    targets.put(
        target, plan.notes().isEmpty() ? state : state + "; " + String.join("; ", plan.notes()));
  }

  synchronized void unsupported(List<Unsupported> fields) {
    unsupported = List.copyOf(fields);
  }

  public synchronized boolean connected() {
    return connected;
  }

  /** How the stream is doing, in words. */
  public synchronized String streamDetail() {
    return streamDetail;
  }

  /** How long the configuration has gone without the control plane; zero while connected. */
  public synchronized Duration staleness() {
    return connected || disconnectedSince == null
        ? Duration.ZERO
        : Duration.between(disconnectedSince, clock.now());
  }

  public synchronized Optional<Instant> lastContact() {
    return Optional.ofNullable(lastContact);
  }

  /** The version last accepted per resource kind. */
  public synchronized Map<String, String> versions() {
    Map<String, String> copy = new LinkedHashMap<>();
    versions.forEach((type, version) -> copy.put(type.kind(), version));
    return copy;
  }

  public synchronized Optional<String> lastNack() {
    return Optional.ofNullable(lastNack);
  }

  /** Per target Listener: ready, waiting (for what) or absent, and what it lacks. */
  public synchronized Map<String, String> targets() {
    return new LinkedHashMap<>(targets);
  }

  public synchronized List<Unsupported> unsupported() {
    return unsupported;
  }
}

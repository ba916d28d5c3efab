package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.MeshSnapshot;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.spi.Redaction;
import java.net.InetSocketAddress;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code /config}: which configuration the mesh runs on ({@code configStatus}: source, version,
 * generation, when it was applied, the last refused one or {@code null}, and the warnings of its
 * source: fields it could not honour, lint findings), and the effective configuration of the mesh
 * and of every service, every setting written out whether it was chosen or defaulted (durations in
 * milliseconds, {@code null} for "none"), a disabled policy as {@code "enabled": false}. Free text
 * is redacted.
 */
final class ConfigPage implements AdminPage {
  private final Supplier<MeshSnapshot> mesh;
  private final AdminSettings settings;
  private final InetSocketAddress address;

  /**
   * @param address the address bound, with the port chosen when the settings asked for port 0
   */
  ConfigPage(Supplier<MeshSnapshot> mesh, AdminSettings settings, InetSocketAddress address) {
    this.mesh = mesh;
    this.settings = settings;
    this.address = address;
  }

  @Override
  public AdminResponse render() {
    MeshSnapshot snapshot = mesh.get();
    ObjectNode json = Json.object();
    json.set("configStatus", status(snapshot.configStatus()));
    ObjectNode meshNode =
        json.putObject("mesh")
            .put("security", snapshot.security().map(Redaction::text).orElse(null))
            .put("localIdentity", snapshot.localIdentity().orElse(null))
            .put("unknownHosts", snapshot.unknownHosts().name())
            .put(
                "unknownHostsChosenBy",
                snapshot.unknownHostsChosen() ? "mesh builder" : "mesh default");
    Json.strings(meshNode, "meshDomains", snapshot.meshDomains());
    ObjectNode admin =
        meshNode
            .putObject("admin")
            .put("bindAddress", settings.bindAddress().getHostAddress())
            .put("port", address.getPort())
            .put("configuredPort", settings.port())
            .put("decisions", snapshot.decisionCapacity());
    Json.strings(admin, "allowedHosts", settings.allowedHosts());
    ArrayNode services = json.putArray("services");
    for (MeshSnapshot.Service service : snapshot.services()) {
      services.add(service(service));
    }
    return AdminResponse.json(json);
  }

  private static ObjectNode status(ConfigStatus status) {
    ObjectNode json =
        Json.object()
            .put("source", Redaction.text(status.source()))
            .put("version", Redaction.text(status.version()))
            .put("generation", status.generation())
            .put("appliedAt", Json.time(status.appliedAt()));
    ConfigStatus.ConfigError error = status.lastError().orElse(null);
    if (error == null) {
      json.putNull("lastError");
    } else {
      json.putObject("lastError")
          .put("source", Redaction.text(error.source()))
          .put("version", Redaction.text(error.version()))
          .put("message", Redaction.text(error.message()))
          .put("at", Json.time(error.at()));
    }
    return Json.strings(json, "warnings", status.warnings().stream().map(Redaction::text).toList());
  }

  private static ObjectNode service(MeshSnapshot.Service service) {
    ServiceConfig config = service.config();
    ObjectNode json =
        Json.object()
            .put("name", config.name().value())
            .put("discovery", Redaction.text(config.discovery().describe()))
            .put("loadBalancer", config.loadBalancer().name())
            // The mode in force: a service that did not choose takes the mesh's default at build().
            .put("tls", service.tls() ? "MUTUAL" : "DISABLED")
            .put("tlsChosenBy", config.tls().isEmpty() ? "mesh default" : "service");
    Json.strings(json, "peerIdentities", service.expectedPeers());
    json.set("timeouts", timeouts(config.timeouts()));
    json.set("retries", retries(config.retries()));
    json.set("retryBudget", budget(config.retryBudget()));
    json.set("circuitBreaker", breaker(config.circuitBreaker()));
    json.set("outlierDetection", outliers(config.outlierDetection()));
    json.set("limits", limits(config.limits()));
    json.set("healthCheck", healthCheck(config.healthCheck()));
    Json.millis(
        json.putObject("hedging").put("enabled", config.hedgeDelay().isPresent()),
        "delayMs",
        config.hedgeDelay().orElse(null));
    json.putObject("zoneAwareness")
        .put("enabled", config.zoneAwareness().enabled())
        .put("minHealthyPercent", config.zoneAwareness().minHealthyPercent())
        // In force only with a local zone on the mesh and a balancer that does not keep keys on
        // endpoints.
        .put("active", service.zoneAwarenessActive());
    SlowStart slowStart = config.slowStart();
    ObjectNode slow = json.putObject("slowStart").put("enabled", slowStart.enabled());
    if (slowStart.enabled()) {
      Json.millis(slow, "windowMs", slowStart.window())
          .put("aggression", slowStart.aggression())
          .put("minWeightPercent", slowStart.minWeightPercent());
    }
    // The tables themselves, with subset members, are on /routes.
    return Json.strings(
        json, "routes", config.routes().routes().stream().map(Route::name).toList());
  }

  private static ObjectNode timeouts(Timeouts timeouts) {
    ObjectNode json = Json.object();
    Json.millis(json, "connectMs", timeouts.connect());
    Json.millis(json, "perTryMs", timeouts.perTry().orElse(null));
    Json.millis(json, "deadlineMs", timeouts.deadline().orElse(null));
    return json.put("propagateDeadline", timeouts.propagateDeadline())
        .put("deadlineHeader", Timeouts.DEADLINE_HEADER);
  }

  private static ObjectNode retries(RetryPolicy retries) {
    ObjectNode json = Json.object().put("maxAttempts", retries.maxAttempts());
    Json.strings(json, "retryOn", new TreeSet<>(retries.retryOn()));
    ArrayNode statuses = json.putArray("retriableStatuses");
    for (int status : new TreeSet<>(retries.retriableStatuses())) {
      statuses.add(status);
    }
    Json.millis(json, "backoffBaseMs", retries.backoffBase());
    Json.millis(json, "backoffMaxMs", retries.backoffMax());
    json.put("backoffJitter", "full");
    return Json.millis(json, "maxRetryAfterMs", retries.maxRetryAfter());
  }

  private static ObjectNode budget(RetryBudget budget) {
    ObjectNode json =
        Json.object()
            .put("unlimited", !budget.enabled())
            .put("ratio", budget.ratio())
            .put("minRetriesPerSecond", budget.minRetriesPerSecond());
    return Json.millis(json, "windowMs", budget.window());
  }

  private static ObjectNode breaker(CircuitBreakerPolicy breaker) {
    ObjectNode json =
        Json.object()
            .put("enabled", breaker.enabled())
            .put("failureRateThresholdPercent", breaker.failureRateThreshold());
    Json.millis(json, "windowMs", breaker.window()).put("minimumCalls", breaker.minimumCalls());
    return Json.millis(json, "openDurationMs", breaker.openDuration())
        .put("halfOpenProbes", breaker.halfOpenProbes());
  }

  private static ObjectNode outliers(OutlierDetection detection) {
    ObjectNode json =
        Json.object()
            .put("enabled", detection.enabled())
            .put("consecutive5xx", detection.consecutive5xx())
            .put("consecutiveGatewayFailures", detection.consecutiveGatewayFailures());
    Json.millis(json, "intervalMs", detection.interval());
    Json.millis(json, "baseEjectionTimeMs", detection.baseEjectionTime());
    Json.millis(json, "maxEjectionTimeMs", detection.maxEjectionTime());
    json.put("maxEjectionPercent", detection.maxEjectionPercent());
    json.putObject("successRate")
        .put("enabled", detection.successRateEnabled())
        .put("minimumHosts", detection.successRateMinimumHosts())
        .put("requestVolume", detection.successRateRequestVolume())
        .put("stdevFactor", detection.successRateStdevFactor());
    json.putObject("failurePercentage")
        .put("enabled", detection.failurePercentageEnabled())
        .put("thresholdPercent", detection.failurePercentageThreshold())
        .put("minimumHosts", detection.failurePercentageMinimumHosts())
        .put("requestVolume", detection.failurePercentageRequestVolume());
    return json.put("panicThresholdPercent", detection.panicThresholdPercent());
  }

  private static ObjectNode limits(ConcurrencyLimits limits) {
    return Json.object()
        .put("maxRequests", limits.maxRequests())
        .put("maxPending", limits.maxPending())
        .put("maxConnectionsPerEndpoint", limits.maxConnectionsPerEndpoint());
  }

  private static ObjectNode healthCheck(HealthCheck check) {
    ObjectNode json = Json.object().put("enabled", check.enabled());
    if (check.enabled()) {
      json.put("method", "GET").put("path", Redaction.text(check.path()));
      Json.millis(json, "intervalMs", check.interval());
      Json.millis(json, "timeoutMs", check.timeout())
          .put("healthyThreshold", check.healthyThreshold())
          .put("unhealthyThreshold", check.unhealthyThreshold())
          .put("passStatuses", "200-399");
    }
    return json;
  }
}

package dev.meshwork.core.internal.admin;

import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.balancer.SlowStart;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.resilience.CircuitBreakerPolicy;
import dev.meshwork.core.resilience.ConcurrencyLimits;
import dev.meshwork.core.resilience.HealthCheck;
import dev.meshwork.core.resilience.OutlierDetection;
import dev.meshwork.core.resilience.RetryBudget;
import dev.meshwork.core.resilience.RetryPolicy;
import dev.meshwork.core.resilience.Timeouts;
import java.util.TreeSet;

/**
 * {@code /config}: the effective configuration of the mesh and of every service, every setting
 * written out whether it was chosen or defaulted (durations in milliseconds, {@code null} for
 * "none"), a disabled policy as {@code "enabled": false}. Free text is redacted.
 */
final class ConfigPage implements AdminPage {
  private final AdminContext context;

  ConfigPage(AdminContext context) {
    this.context = context;
  }

  @Override
  public AdminResponse render() {
    JsonWriter json = new JsonWriter().beginObject();
    json.name("mesh").beginObject()
        .field("security", context.security() == null ? null : Redaction.text(context.security().toString()))
        .field("localIdentity", context.security() == null ? null : context.security().localIdentity())
        .field("unknownHosts", context.unknownHosts().policy().name())
        .field("unknownHostsChosenBy", context.unknownHosts().chosen() ? "mesh builder" : "mesh default")
        .strings("meshDomains", context.unknownHosts().domains())
        .name("admin").beginObject()
        .field("bindAddress", context.options().bindAddress().getHostAddress())
        .field("port", context.address().getPort())
        .field("configuredPort", context.options().port())
        .field("decisions", context.options().decisions())
        .strings("allowedHosts", context.options().allowedHosts())
        .endObject()
        .endObject();
    json.name("services").beginArray();
    for (ServiceRuntime service : context.services()) {
      service(json, service);
    }
    return AdminResponse.json(json.endArray().endObject());
  }

  private static void service(JsonWriter json, ServiceRuntime service) {
    ServiceConfig config = service.config();
    json.beginObject()
        .field("name", config.name().value())
        .field("discovery", Redaction.text(config.discovery().describe()))
        .field("loadBalancer", config.loadBalancer().name())
        // The mode in force: a service that did not choose takes the mesh's default at build().
        .field("tls", service.clientTls() == null ? "DISABLED" : "MUTUAL")
        .field("tlsChosenBy", config.tls().isEmpty() ? "mesh default" : "service")
        .strings("peerIdentities", service.clientTls() == null ? config.peerIdentities()
            : new TreeSet<>(service.clientTls().expectedPeers()));
    timeouts(json.name("timeouts"), config.timeouts());
    retries(json.name("retries"), config.retries());
    budget(json.name("retryBudget"), config.retryBudget());
    breaker(json.name("circuitBreaker"), config.circuitBreaker());
    outliers(json.name("outlierDetection"), config.outlierDetection());
    limits(json.name("limits"), config.limits());
    healthCheck(json.name("healthCheck"), config.healthCheck());
    json.name("hedging").beginObject()
        .field("enabled", config.hedgeDelay().isPresent())
        .millis("delayMs", config.hedgeDelay().orElse(null))
        .endObject();
    json.name("zoneAwareness").beginObject()
        .field("enabled", config.zoneAwareness().enabled())
        .field("minHealthyPercent", config.zoneAwareness().minHealthyPercent())
        // In force only with a local zone on the mesh and a balancer that does not keep keys on endpoints.
        .field("active", service.zones() != null)
        .endObject();
    SlowStart slowStart = config.slowStart();
    json.name("slowStart").beginObject().field("enabled", slowStart.enabled());
    if (slowStart.enabled()) {
      json.millis("windowMs", slowStart.window())
          .field("aggression", slowStart.aggression())
          .field("minWeightPercent", slowStart.minWeightPercent());
    }
    json.endObject();
    // The tables themselves, with subset members, are on /routes.
    json.strings("routes", config.routes().routes().stream().map(Route::name).toList());
    json.endObject();
  }

  private static void timeouts(JsonWriter json, Timeouts timeouts) {
    json.beginObject()
        .millis("connectMs", timeouts.connect())
        .millis("perTryMs", timeouts.perTry().orElse(null))
        .millis("deadlineMs", timeouts.deadline().orElse(null))
        .field("propagateDeadline", timeouts.propagateDeadline())
        .field("deadlineHeader", Timeouts.DEADLINE_HEADER)
        .endObject();
  }

  private static void retries(JsonWriter json, RetryPolicy retries) {
    json.beginObject()
        .field("maxAttempts", retries.maxAttempts())
        .strings("retryOn", new TreeSet<>(retries.retryOn()))
        .name("retriableStatuses").beginArray();
    for (int status : new TreeSet<>(retries.retriableStatuses())) {
      json.value(status);
    }
    json.endArray()
        .millis("backoffBaseMs", retries.backoffBase())
        .millis("backoffMaxMs", retries.backoffMax())
        .field("backoffJitter", "full")
        .millis("maxRetryAfterMs", retries.maxRetryAfter())
        .endObject();
  }

  private static void budget(JsonWriter json, RetryBudget budget) {
    json.beginObject()
        .field("unlimited", !budget.enabled())
        .field("ratio", budget.ratio())
        .field("minRetriesPerSecond", budget.minRetriesPerSecond())
        .millis("windowMs", budget.window())
        .endObject();
  }

  private static void breaker(JsonWriter json, CircuitBreakerPolicy breaker) {
    json.beginObject()
        .field("enabled", breaker.enabled())
        .field("failureRateThresholdPercent", breaker.failureRateThreshold())
        .millis("windowMs", breaker.window())
        .field("minimumCalls", breaker.minimumCalls())
        .millis("openDurationMs", breaker.openDuration())
        .field("halfOpenProbes", breaker.halfOpenProbes())
        .endObject();
  }

  private static void outliers(JsonWriter json, OutlierDetection detection) {
    json.beginObject()
        .field("enabled", detection.enabled())
        .field("consecutive5xx", detection.consecutive5xx())
        .field("consecutiveGatewayFailures", detection.consecutiveGatewayFailures())
        .millis("intervalMs", detection.interval())
        .millis("baseEjectionTimeMs", detection.baseEjectionTime())
        .millis("maxEjectionTimeMs", detection.maxEjectionTime())
        .field("maxEjectionPercent", detection.maxEjectionPercent())
        .name("successRate").beginObject()
        .field("enabled", detection.successRateEnabled())
        .field("minimumHosts", detection.successRateMinimumHosts())
        .field("requestVolume", detection.successRateRequestVolume())
        .field("stdevFactor", detection.successRateStdevFactor())
        .endObject()
        .name("failurePercentage").beginObject()
        .field("enabled", detection.failurePercentageEnabled())
        .field("thresholdPercent", detection.failurePercentageThreshold())
        .field("minimumHosts", detection.failurePercentageMinimumHosts())
        .field("requestVolume", detection.failurePercentageRequestVolume())
        .endObject()
        .field("panicThresholdPercent", detection.panicThresholdPercent())
        .endObject();
  }

  private static void limits(JsonWriter json, ConcurrencyLimits limits) {
    json.beginObject()
        .field("maxRequests", limits.maxRequests())
        .field("maxPending", limits.maxPending())
        .field("maxConnectionsPerEndpoint", limits.maxConnectionsPerEndpoint())
        .endObject();
  }

  private static void healthCheck(JsonWriter json, HealthCheck check) {
    json.beginObject().field("enabled", check.enabled());
    if (check.enabled()) {
      json.field("method", "GET")
          .field("path", Redaction.text(check.path()))
          .millis("intervalMs", check.interval())
          .millis("timeoutMs", check.timeout())
          .field("healthyThreshold", check.healthyThreshold())
          .field("unhealthyThreshold", check.unhealthyThreshold())
          .field("passStatuses", "200-399");
    }
    json.endObject();
  }
}

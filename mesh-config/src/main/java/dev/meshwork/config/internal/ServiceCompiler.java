package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.ZoneAwareness;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Compiles one entry of {@code services} into a {@link ServiceConfig}, through its builders. */
public final class ServiceCompiler {
  private ServiceCompiler() {}

  /** The service, or null after adding its problems. */
  public static ServiceConfig compile(String name, JsonNode node, String path, Problems problems) {
    ServiceConfig.Builder builder = ServiceConfig.builder(name);
    int before = problemCount(problems);
    DiscoverySource source =
        SourceCompiler.discovery(node.get("discovery"), DocPath.child(path, "discovery"), problems);
    if (source != null) {
      builder.discovery(source);
    }
    LoadBalancerFactory balancer =
        SourceCompiler.loadBalancer(
            node.get("loadBalancer"), DocPath.child(path, "loadBalancer"), problems);
    if (balancer != null) {
      builder.loadBalancer(balancer);
    }
    set(
        path,
        "zoneAwareness",
        problems,
        () -> builder.zoneAware(zoneAwareness(node.get("zoneAwareness"))));
    set(path, "slowStart", problems, () -> builder.slowStart(slowStart(node.get("slowStart"))));
    if (node.has("tls")) {
      builder.tls(TlsMode.valueOf(node.get("tls").asText().toUpperCase(Locale.ROOT)));
    }
    builder.peerIdentities(Fields.texts(node, "peerIdentities").toArray(String[]::new));
    JsonNode timeouts = Fields.object(node, "timeouts");
    builder.connectTimeout(Fields.duration(timeouts, "connect", Duration.ofSeconds(5)));
    if (timeouts.has("perTry")) {
      builder.perTryTimeout(Fields.duration(timeouts, "perTry", null));
    }
    if (timeouts.has("overall")) {
      builder.timeout(Fields.duration(timeouts, "overall", null));
    }
    builder.propagateDeadline(Fields.bool(timeouts, "propagateDeadline", false));
    set(path, "retries", problems, () -> builder.retries(retries(Fields.object(node, "retries"))));
    set(path, "retryBudget", problems, () -> builder.retryBudget(budget(node.get("retryBudget"))));
    if (node.has("hedging")) {
      builder.hedging(Fields.duration(node.get("hedging"), "delay", null));
    }
    set(
        path,
        "circuitBreaker",
        problems,
        () -> builder.circuitBreaker(breaker(node.get("circuitBreaker"))));
    set(
        path,
        "outlierDetection",
        problems,
        () -> builder.outlierDetection(outliers(node.get("outlierDetection"))));
    set(path, "limits", problems, () -> builder.limits(limits(Fields.object(node, "limits"))));
    set(
        path,
        "healthCheck",
        problems,
        () -> builder.healthCheck(healthCheck(node.get("healthCheck"))));
    RouteTable routes = RouteCompiler.table(node, path, problems);
    if (routes != null) {
      builder.routes(routes);
    }
    if (problemCount(problems) != before) {
      return null;
    }
    try {
      return builder.build();
    } catch (MeshConfigException e) {
      problems.add(fieldOf(path, e), e);
      return null;
    }
  }

  private static int problemCount(Problems problems) {
    return problems.count();
  }

  /** Runs one section's builder, placing its refusal at the section. */
  private static void set(String path, String section, Problems problems, Runnable apply) {
    try {
      apply.run();
    } catch (MeshConfigException e) {
      problems.add(DocPath.child(path, section), e);
    }
  }

  private static String fieldOf(String path, MeshConfigException e) {
    String field = e.field();
    for (String section : List.of("hedging", "discovery", "timeouts")) {
      if (field.contains(section)) {
        return DocPath.child(path, section);
      }
    }
    if (field.contains("Timeout") || field.contains("timeout")) {
      return DocPath.child(path, "timeouts");
    }
    if (field.contains("endpoint")) {
      return DocPath.child(DocPath.child(path, "discovery"), "static");
    }
    return path;
  }

  private static ZoneAwareness zoneAwareness(JsonNode node) {
    if (node == null) {
      return ZoneAwareness.defaults();
    }
    if (!Fields.bool(node, "enabled", true)) {
      return ZoneAwareness.disabled();
    }
    return ZoneAwareness.minHealthyPercent(Fields.number(node, "minHealthyPercent", 70));
  }

  private static SlowStart slowStart(JsonNode node) {
    if (node == null || !Fields.bool(node, "enabled", true)) {
      return SlowStart.disabled();
    }
    return SlowStart.builder(Fields.duration(node, "window", null))
        .aggression(Fields.number(node, "aggression", 1.0))
        .minWeightPercent(Fields.number(node, "minWeightPercent", 10))
        .build();
  }

  private static RetryPolicy retries(JsonNode node) {
    RetryPolicy defaults = RetryPolicy.defaults();
    RetryPolicy.Builder builder =
        RetryPolicy.builder()
            .maxAttempts(Fields.integer(node, "maxAttempts", defaults.maxAttempts()));
    if (node.has("retryOn")) {
      List<RetryOn> on = new ArrayList<>();
      node.get("retryOn").forEach(item -> on.add(retryOn(item.asText())));
      builder.retryOn(on.get(0), on.subList(1, on.size()).toArray(RetryOn[]::new));
    }
    if (node.has("retriableStatuses")) {
      int[] statuses = new int[node.get("retriableStatuses").size()];
      for (int i = 0; i < statuses.length; i++) {
        statuses[i] = node.get("retriableStatuses").get(i).asInt();
      }
      builder.retriableStatuses(statuses);
    }
    JsonNode backoff = Fields.object(node, "backoff");
    builder.backoff(
        Fields.duration(backoff, "base", defaults.backoffBase()),
        Fields.duration(backoff, "max", defaults.backoffMax()));
    builder.maxRetryAfter(Fields.duration(node, "maxRetryAfter", defaults.maxRetryAfter()));
    return builder.build();
  }

  /** {@code connectFailure} is {@link RetryOn#CONNECT_FAILURE}. */
  static RetryOn retryOn(String camel) {
    return RetryOn.valueOf(camel.replaceAll("([A-Z])", "_$1").toUpperCase(Locale.ROOT));
  }

  private static RetryBudget budget(JsonNode node) {
    if (node == null) {
      return RetryBudget.defaults();
    }
    if (!Fields.bool(node, "enabled", true)) {
      return RetryBudget.disabled();
    }
    RetryBudget defaults = RetryBudget.defaults();
    return RetryBudget.builder()
        .ratio(Fields.ratio(node, "percent", defaults.ratio()))
        .minRetriesPerSecond(
            Fields.integer(node, "minRetriesPerSecond", defaults.minRetriesPerSecond()))
        .window(Fields.duration(node, "window", defaults.window()))
        .build();
  }

  private static CircuitBreakerPolicy breaker(JsonNode node) {
    if (node == null) {
      return CircuitBreakerPolicy.defaults();
    }
    if (!Fields.bool(node, "enabled", true)) {
      return CircuitBreakerPolicy.disabled();
    }
    CircuitBreakerPolicy d = CircuitBreakerPolicy.defaults();
    return CircuitBreakerPolicy.builder()
        .failureRateThreshold(Fields.number(node, "failureRatePercent", d.failureRateThreshold()))
        .window(Fields.duration(node, "window", d.window()))
        .minimumCalls(Fields.integer(node, "minimumCalls", d.minimumCalls()))
        .openDuration(Fields.duration(node, "openDuration", d.openDuration()))
        .halfOpenProbes(Fields.integer(node, "halfOpenProbes", d.halfOpenProbes()))
        .build();
  }

  private static OutlierDetection outliers(JsonNode node) {
    if (node == null) {
      return OutlierDetection.defaults();
    }
    if (!Fields.bool(node, "enabled", true)) {
      return OutlierDetection.disabled();
    }
    OutlierDetection d = OutlierDetection.defaults();
    JsonNode rate = Fields.object(node, "successRate");
    JsonNode failures = Fields.object(node, "failurePercentage");
    return OutlierDetection.builder()
        .consecutive5xx(Fields.integer(node, "consecutive5xx", d.consecutive5xx()))
        .consecutiveGatewayFailures(
            Fields.integer(node, "consecutiveGatewayFailures", d.consecutiveGatewayFailures()))
        .interval(Fields.duration(node, "interval", d.interval()))
        .baseEjectionTime(Fields.duration(node, "baseEjectionTime", d.baseEjectionTime()))
        .maxEjectionTime(Fields.duration(node, "maxEjectionTime", d.maxEjectionTime()))
        .maxEjectionPercent(Fields.number(node, "maxEjectionPercent", d.maxEjectionPercent()))
        .successRate(
            Fields.bool(rate, "enabled", d.successRateEnabled()),
            Fields.integer(rate, "minimumHosts", d.successRateMinimumHosts()),
            Fields.integer(rate, "requestVolume", d.successRateRequestVolume()),
            Fields.number(rate, "stdevFactor", d.successRateStdevFactor()))
        .failurePercentage(
            Fields.bool(failures, "enabled", d.failurePercentageEnabled()),
            Fields.number(failures, "thresholdPercent", d.failurePercentageThreshold()),
            Fields.integer(failures, "minimumHosts", d.failurePercentageMinimumHosts()),
            Fields.integer(failures, "requestVolume", d.failurePercentageRequestVolume()))
        .panicThresholdPercent(
            Fields.number(node, "panicThresholdPercent", d.panicThresholdPercent()))
        .build();
  }

  private static ConcurrencyLimits limits(JsonNode node) {
    ConcurrencyLimits d = ConcurrencyLimits.defaults();
    return new ConcurrencyLimits(
        Fields.integer(node, "maxRequests", d.maxRequests()),
        Fields.integer(node, "maxPending", d.maxPending()),
        Fields.integer(node, "maxConnectionsPerEndpoint", d.maxConnectionsPerEndpoint()));
  }

  private static HealthCheck healthCheck(JsonNode node) {
    if (node == null || !Fields.bool(node, "enabled", true)) {
      return HealthCheck.disabled();
    }
    HealthCheck.Builder builder = HealthCheck.http(Fields.text(node, "path", null));
    return builder
        .interval(Fields.duration(node, "interval", Duration.ofSeconds(5)))
        .timeout(Fields.duration(node, "timeout", Duration.ofSeconds(1)))
        .healthyThreshold(Fields.integer(node, "healthyThreshold", 2))
        .unhealthyThreshold(Fields.integer(node, "unhealthyThreshold", 3))
        .build();
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.discovery.DiscoverySources;
import dev.meshwork.discovery.DnsDiscovery;
import dev.meshwork.discovery.FileDiscovery;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes a {@link ServiceConfig} as its entry of {@code services}, every default included. What a
 * document cannot express (a custom balancer or discovery source) is written as an {@code
 * unexpressible} field that says what it is, never dropped.
 */
public final class ServiceRenderer {
  private static final Pattern BALANCER =
      Pattern.compile(
          "(round_robin|weighted_round_robin|random|least_request|peak_ewma)(?:\\(seed=(-?[0-9]+)\\))?"
              + "|(ring_hash|maglev)\\((header|cookie) (.+?)(?:, (minRingSize|tableSize)=([0-9]+))?\\)");

  private ServiceRenderer() {}

  public static ObjectNode render(ServiceConfig config) {
    ObjectNode out = Fields.newObject();
    out.set("discovery", discovery(config.discovery()));
    out.set("loadBalancer", loadBalancer(config.loadBalancer()));
    ObjectNode zones = out.putObject("zoneAwareness");
    zones.put("enabled", config.zoneAwareness().enabled());
    if (config.zoneAwareness().enabled()) {
      zones.set("minHealthyPercent", Fields.number(config.zoneAwareness().minHealthyPercent()));
    }
    SlowStart slowStart = config.slowStart();
    ObjectNode ramp = out.putObject("slowStart");
    ramp.put("enabled", slowStart.enabled());
    if (slowStart.enabled()) {
      ramp.put("window", Durations.format(slowStart.window()));
      ramp.set("aggression", Fields.number(slowStart.aggression()));
      ramp.set("minWeightPercent", Fields.number(slowStart.minWeightPercent()));
    }
    config.tls().ifPresent(mode -> out.put("tls", mode.name().toLowerCase(Locale.ROOT)));
    if (!config.peerIdentities().isEmpty()) {
      out.set("peerIdentities", Fields.array(config.peerIdentities()));
    }
    Timeouts timeouts = config.timeouts();
    ObjectNode time = out.putObject("timeouts");
    time.put("connect", Durations.format(timeouts.connect()));
    timeouts.perTry().ifPresent(d -> time.put("perTry", Durations.format(d)));
    timeouts.deadline().ifPresent(d -> time.put("overall", Durations.format(d)));
    time.put("propagateDeadline", timeouts.propagateDeadline());
    out.set("retries", retries(config.retries()));
    out.set("retryBudget", budget(config.retryBudget()));
    config.hedgeDelay().ifPresent(d -> out.putObject("hedging").put("delay", Durations.format(d)));
    out.set("circuitBreaker", breaker(config.circuitBreaker()));
    out.set("outlierDetection", outliers(config.outlierDetection()));
    ObjectNode limits = out.putObject("limits");
    limits.put("maxRequests", config.limits().maxRequests());
    limits.put("maxPending", config.limits().maxPending());
    limits.put("maxConnectionsPerEndpoint", config.limits().maxConnectionsPerEndpoint());
    out.set("healthCheck", healthCheck(config.healthCheck()));
    RouteRenderer.render(config.routes(), out);
    return out;
  }

  static ObjectNode discovery(DiscoverySource source) {
    ObjectNode out = Fields.newObject();
    if (source instanceof StaticDiscovery fixed) {
      ArrayNode list = out.putArray("static");
      for (Endpoint endpoint : fixed.endpoints()) {
        if (endpoint.weight() == 1 && endpoint.zone().isEmpty() && endpoint.labels().isEmpty()) {
          list.add(endpoint.address());
          continue;
        }
        ObjectNode item = list.addObject();
        item.put("address", endpoint.address());
        if (endpoint.weight() != 1) {
          item.put("weight", endpoint.weight());
        }
        if (!endpoint.zone().isEmpty()) {
          item.put("zone", endpoint.zone());
        }
        if (!endpoint.labels().isEmpty()) {
          ObjectNode labels = item.putObject("labels");
          new TreeMap<>(endpoint.labels()).forEach(labels::put);
        }
      }
    } else if (source instanceof DnsDiscovery dns) {
      ObjectNode node = out.putObject("dns");
      if (dns.srv()) {
        node.put("srv", dns.name());
      } else {
        node.put("hostname", dns.name());
        node.put("port", dns.port());
      }
      dns.resolver()
          .ifPresent(
              address ->
                  node.put(
                      "resolver",
                      Endpoint.of(
                              address.getAddress() != null
                                  ? address.getAddress().getHostAddress()
                                  : address.getHostString(),
                              address.getPort())
                          .address()));
      node.put("timeout", Durations.format(dns.timeout()));
      node.put("minRefresh", Durations.format(dns.minRefresh()));
      node.put("maxRefresh", Durations.format(dns.maxRefresh()));
    } else if (source instanceof FileDiscovery file) {
      ObjectNode node = out.putObject("file");
      node.put("path", file.path().toString());
      node.put("format", file.format().name().toLowerCase(Locale.ROOT));
      node.put("pollInterval", Durations.format(file.pollInterval()));
    } else if (!DiscoverySources.parts(source).isEmpty()) {
      ArrayNode parts = out.putArray("merged");
      DiscoverySources.parts(source).forEach(part -> parts.add(discovery(part)));
    } else {
      out.put(
          SourceCompiler.UNEXPRESSIBLE,
          "discovery source "
              + source.describe()
              + " ("
              + source.getClass().getName()
              + ") cannot be written in a document");
    }
    return out;
  }

  static ObjectNode loadBalancer(LoadBalancerFactory factory) {
    ObjectNode out = Fields.newObject();
    Matcher m = BALANCER.matcher(factory.name());
    if (!m.matches()) {
      out.put(
          SourceCompiler.UNEXPRESSIBLE,
          "load balancer '"
              + factory.name()
              + "' ("
              + factory.getClass().getName()
              + ") cannot be written in a document");
      return out;
    }
    if (m.group(1) != null) {
      out.put("policy", camel(m.group(1)));
      if (m.group(2) != null) {
        out.put("seed", Long.parseLong(m.group(2)));
      }
      return out;
    }
    out.put("policy", camel(m.group(3)));
    out.putObject("hashOn").put(m.group(4), m.group(5));
    if (m.group(3).equals("ring_hash")) {
      out.put("minRingSize", m.group(7) == null ? 1024 : Integer.parseInt(m.group(7)));
    } else {
      out.put("tableSize", m.group(7) == null ? 65537 : Integer.parseInt(m.group(7)));
    }
    return out;
  }

  private static String camel(String snake) {
    StringBuilder text = new StringBuilder();
    boolean upper = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        upper = true;
      } else {
        text.append(upper ? Character.toUpperCase(c) : c);
        upper = false;
      }
    }
    return text.toString();
  }

  private static ObjectNode retries(RetryPolicy policy) {
    ObjectNode out = Fields.newObject();
    out.put("maxAttempts", policy.maxAttempts());
    List<String> on = new ArrayList<>();
    for (RetryOn kind : RetryOn.values()) {
      if (policy.retryOn().contains(kind)) {
        on.add(camel(kind.name().toLowerCase(Locale.ROOT)));
      }
    }
    out.set("retryOn", Fields.array(on));
    ArrayNode statuses = out.putArray("retriableStatuses");
    new TreeSet<>(policy.retriableStatuses()).forEach(statuses::add);
    ObjectNode backoff = out.putObject("backoff");
    backoff.put("base", Durations.format(policy.backoffBase()));
    backoff.put("max", Durations.format(policy.backoffMax()));
    out.put("maxRetryAfter", Durations.format(policy.maxRetryAfter()));
    return out;
  }

  private static ObjectNode budget(RetryBudget budget) {
    ObjectNode out = Fields.newObject();
    out.put("enabled", budget.enabled());
    if (budget.enabled()) {
      out.set("percent", Fields.percentOf(budget.ratio()));
      out.put("minRetriesPerSecond", budget.minRetriesPerSecond());
      out.put("window", Durations.format(budget.window()));
    }
    return out;
  }

  private static ObjectNode breaker(CircuitBreakerPolicy breaker) {
    ObjectNode out = Fields.newObject();
    out.put("enabled", breaker.enabled());
    if (breaker.enabled()) {
      out.set("failureRatePercent", Fields.number(breaker.failureRateThreshold()));
      out.put("window", Durations.format(breaker.window()));
      out.put("minimumCalls", breaker.minimumCalls());
      out.put("openDuration", Durations.format(breaker.openDuration()));
      out.put("halfOpenProbes", breaker.halfOpenProbes());
    }
    return out;
  }

  private static ObjectNode outliers(OutlierDetection d) {
    ObjectNode out = Fields.newObject();
    out.put("enabled", d.enabled());
    if (!d.enabled()) {
      return out;
    }
    out.put("consecutive5xx", d.consecutive5xx());
    out.put("consecutiveGatewayFailures", d.consecutiveGatewayFailures());
    out.put("interval", Durations.format(d.interval()));
    out.put("baseEjectionTime", Durations.format(d.baseEjectionTime()));
    out.put("maxEjectionTime", Durations.format(d.maxEjectionTime()));
    out.set("maxEjectionPercent", Fields.number(d.maxEjectionPercent()));
    ObjectNode rate = out.putObject("successRate");
    rate.put("enabled", d.successRateEnabled());
    rate.put("minimumHosts", d.successRateMinimumHosts());
    rate.put("requestVolume", d.successRateRequestVolume());
    rate.set("stdevFactor", Fields.number(d.successRateStdevFactor()));
    ObjectNode failures = out.putObject("failurePercentage");
    failures.put("enabled", d.failurePercentageEnabled());
    failures.set("thresholdPercent", Fields.number(d.failurePercentageThreshold()));
    failures.put("minimumHosts", d.failurePercentageMinimumHosts());
    failures.put("requestVolume", d.failurePercentageRequestVolume());
    out.set("panicThresholdPercent", Fields.number(d.panicThresholdPercent()));
    return out;
  }

  private static ObjectNode healthCheck(HealthCheck check) {
    ObjectNode out = Fields.newObject();
    out.put("enabled", check.enabled());
    if (check.enabled()) {
      out.put("path", check.path());
      out.put("interval", Durations.format(check.interval()));
      out.put("timeout", Durations.format(check.timeout()));
      out.put("healthyThreshold", check.healthyThreshold());
      out.put("unhealthyThreshold", check.unhealthyThreshold());
    }
    return out;
  }
}

package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.Fields;
import java.math.BigDecimal;
import java.time.Duration;

/** A DestinationRule's {@code loadBalancer} as the service's balancer and slow start. */
final class IstioBalancer {
  private IstioBalancer() {}

  static void apply(Node node, ObjectNode entry, String path, Context context) {
    ObjectNode balancer = Fields.newObject();
    String simple = node.text("simple");
    if (simple != null) {
      switch (simple) {
        case "ROUND_ROBIN" -> balancer.put("policy", "roundRobin");
        case "RANDOM" -> balancer.put("policy", "random");
        case "LEAST_REQUEST", "LEAST_CONN" -> balancer.put("policy", "leastRequest");
        case "UNSPECIFIED" -> {}
        default ->
            node.report.unsupported(
                node.manifest,
                node.at("simple"),
                node.node.get("simple"),
                simple.equals("PASSTHROUGH")
                    ? "calling the address the caller resolved: Meshwork picks an endpoint"
                    : "one of ROUND_ROBIN, RANDOM, LEAST_REQUEST, LEAST_CONN",
                true);
      }
    }
    Node hash = node.object("consistentHash");
    if (hash != null) {
      consistentHash(hash, balancer);
    }
    node.unsupported(
        "localityLbSetting",
        "locality weights and failover: Meshwork prefers the caller's zone (zoneAwareness)",
        true);
    node.unsupported(
        "zoneAwareLbSetting",
        "zone failover rules: Meshwork prefers the caller's zone (zoneAwareness)",
        true);
    Duration warmupSecs = node.duration("warmupDurationSecs");
    Node warmup = node.object("warmup");
    node.finish();
    if (!balancer.isEmpty()) {
      context.out.put(entry, path, "loadBalancer", balancer, node.location());
    }
    ObjectNode slowStart = Fields.newObject();
    if (warmup != null) {
      Duration window = warmup.duration("duration");
      BigDecimal minimum = warmup.number("minimumPercent", 0, 100);
      BigDecimal aggression = warmup.number("aggression", 0, Double.MAX_VALUE);
      warmup.finish();
      if (window != null && !window.isZero()) {
        slowStart.put("window", Context.duration(window));
        // Envoy's defaults: aggression 1, minimum weight 10%.
        slowStart.set(
            "aggression", Fields.number(aggression == null ? 1 : aggression.doubleValue()));
        slowStart.set(
            "minWeightPercent", Fields.number(minimum == null ? 10 : minimum.doubleValue()));
      }
    } else if (warmupSecs != null && !warmupSecs.isZero()) {
      slowStart.put("window", Context.duration(warmupSecs));
    }
    if (!slowStart.isEmpty()) {
      slowStart.put("enabled", true);
      context.out.put(
          entry,
          path,
          "slowStart",
          slowStart,
          warmup != null ? warmup.location() : node.location("warmupDurationSecs"));
    }
  }

  private static void consistentHash(Node hash, ObjectNode balancer) {
    String header = hash.text("httpHeaderName");
    Node cookie = hash.object("httpCookie");
    Node ring = hash.object("ringHash");
    Node maglev = hash.object("maglev");
    Long legacyRing = hash.integer("minimumRingSize", 1024, 8_388_608);
    hash.unsupported(
        "useSourceIp",
        "hashing on the caller's address: every call of one mesh has the same",
        true);
    hash.unsupported(
        "httpQueryParameterName",
        "hashing on a query parameter: Meshwork hashes on headers or cookies",
        true);
    ObjectNode on = Fields.newObject();
    if (header != null) {
      on.put("header", header);
    }
    if (cookie != null) {
      String name = cookie.text("name");
      cookie.unsupported(
          "ttl", "Meshwork does not set the cookie; it hashes on it when present", false);
      cookie.unsupported(
          "path", "Meshwork does not set the cookie; it hashes on it when present", false);
      cookie.unsupported(
          "attributes", "Meshwork does not set the cookie; it hashes on it when present", false);
      cookie.finish();
      if (name != null) {
        on.put("cookie", name);
      }
    }
    Long ringSize = legacyRing;
    if (ring != null) {
      Long size = ring.integer("minimumRingSize", 1024, 8_388_608);
      ring.finish();
      ringSize = size == null ? ringSize : size;
    }
    Long table = null;
    if (maglev != null) {
      table = maglev.integer("tableSize", 127, Integer.MAX_VALUE);
      maglev.finish();
    }
    hash.finish();
    if (on.size() != 1) {
      hash.report.error(
          hash.manifest, hash.path, hash.node, "one of httpHeaderName or httpCookie to hash on");
      return;
    }
    balancer.put("policy", maglev != null ? "maglev" : "ringHash");
    balancer.set("hashOn", on);
    if (maglev != null && table != null) {
      balancer.put("tableSize", table);
    } else if (maglev == null && ringSize != null) {
      balancer.put("minRingSize", ringSize);
    }
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.discovery.DiscoverySources;
import dev.meshwork.discovery.DnsDiscovery;
import dev.meshwork.discovery.FileDiscovery;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compiles a service's {@code discovery} and {@code loadBalancer} sections. */
final class SourceCompiler {
  /** What a section written by {@code MeshConfig.of} holds when a document cannot express it. */
  static final String UNEXPRESSIBLE = "unexpressible";

  private SourceCompiler() {}

  /** The source {@code node} describes; null after adding a problem. */
  static DiscoverySource discovery(JsonNode node, String path, Problems problems) {
    try {
      if (node.has(UNEXPRESSIBLE)) {
        problems.add(
            DocPath.child(path, UNEXPRESSIBLE),
            node.get(UNEXPRESSIBLE).asText(),
            "a discovery source a document can express (this one was written from a running"
                + " mesh; configure it in code)");
        return null;
      }
      if (node.has("static")) {
        return staticSource(node.get("static"), DocPath.child(path, "static"), problems);
      }
      if (node.has("dns")) {
        return dns(node.get("dns"), DocPath.child(path, "dns"), problems);
      }
      if (node.has("file")) {
        JsonNode file = node.get("file");
        FileDiscovery.Builder builder = FileDiscovery.builder(filePath(file.get("path").asText()));
        if (file.has("format")) {
          builder.format(
              FileDiscovery.Format.valueOf(
                  file.get("format").asText().toUpperCase(java.util.Locale.ROOT)));
        }
        builder.pollInterval(
            Fields.duration(
                file,
                "pollInterval",
                java.time.Duration.ofMillis(FileDiscovery.DEFAULT_POLL_MILLIS)));
        return builder.build();
      }
      if (node.has("kubernetes")) {
        problems.add(
            DocPath.child(path, "kubernetes"),
            "kubernetes",
            "static, dns, file or merged: kubernetes discovery is not available in documents"
                + " without mesh-discovery-kubernetes on the class path, and mesh-config does not"
                + " compile it yet; build that service's source in code");
        return null;
      }
      JsonNode merged = node.get("merged");
      List<DiscoverySource> parts = new ArrayList<>();
      for (int i = 0; i < merged.size(); i++) {
        DiscoverySource part =
            discovery(merged.get(i), DocPath.index(DocPath.child(path, "merged"), i), problems);
        if (part != null) {
          parts.add(part);
        }
      }
      return parts.size() == merged.size()
          ? DiscoverySources.merged(parts.toArray(DiscoverySource[]::new))
          : null;
    } catch (MeshConfigException e) {
      problems.add(path, e);
      return null;
    }
  }

  static Path filePath(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new MeshConfigException("file path", text, "a file path (" + e.getReason() + ")");
    }
  }

  private static DiscoverySource staticSource(JsonNode list, String path, Problems problems) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      JsonNode item = list.get(i);
      String at = DocPath.index(path, i);
      try {
        if (item.isTextual()) {
          endpoints.add(Endpoint.parse(item.asText()));
          continue;
        }
        // The schema keeps spaces out of the address, so it carries no attributes of its own.
        Endpoint.Builder builder = Endpoint.parse(item.get("address").asText()).toBuilder();
        builder.weight(Fields.integer(item, "weight", 1));
        if (item.has("zone")) {
          builder.zone(item.get("zone").asText());
        }
        if (item.has("labels")) {
          item.get("labels")
              .fields()
              .forEachRemaining(label -> builder.label(label.getKey(), label.getValue().asText()));
        }
        endpoints.add(builder.build());
      } catch (MeshConfigException e) {
        problems.add(at, e);
      }
    }
    if (endpoints.size() != list.size()) {
      return null;
    }
    try {
      // A duplicate address is refused here, naming the list, rather than by the mesh.
      dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot.of(
          new dev.meshwork.core.ServiceName("static"), endpoints);
    } catch (MeshConfigException e) {
      problems.add(path, e);
      return null;
    }
    return StaticDiscovery.of(endpoints);
  }

  private static DiscoverySource dns(JsonNode dns, String path, Problems problems) {
    DnsDiscovery.Builder builder =
        dns.has("srv")
            ? DnsDiscovery.srv(dns.get("srv").asText())
            : DnsDiscovery.addresses(dns.get("hostname").asText(), dns.get("port").asInt());
    if (dns.has("resolver")) {
      String text = dns.get("resolver").asText();
      Endpoint resolver;
      try {
        resolver = Endpoint.parse(text);
      } catch (MeshConfigException e) {
        problems.add(
            DocPath.child(path, "resolver"),
            text,
            "a DNS server as host:port, such as 10.96.0.10:53");
        return null;
      }
      builder.resolver(new InetSocketAddress(resolver.host(), resolver.port()));
    }
    builder.timeout(Fields.duration(dns, "timeout", java.time.Duration.ofSeconds(2)));
    builder.minRefresh(Fields.duration(dns, "minRefresh", java.time.Duration.ofSeconds(1)));
    builder.maxRefresh(Fields.duration(dns, "maxRefresh", java.time.Duration.ofSeconds(60)));
    return builder.build();
  }

  /** The balancer {@code node} describes; null after adding a problem. */
  static LoadBalancerFactory loadBalancer(JsonNode node, String path, Problems problems) {
    if (node == null) {
      return LoadBalancers.leastRequest();
    }
    if (node.has(UNEXPRESSIBLE)) {
      problems.add(
          DocPath.child(path, UNEXPRESSIBLE),
          node.get(UNEXPRESSIBLE).asText(),
          "a load balancer a document can express (this one was written from a running mesh;"
              + " configure it in code)");
      return null;
    }
    String policy = node.get("policy").asText();
    boolean seeded = node.has("seed");
    long seed = Fields.longValue(node, "seed", 0);
    try {
      return switch (policy) {
        case "roundRobin" -> LoadBalancers.roundRobin();
        case "weightedRoundRobin" -> LoadBalancers.weightedRoundRobin();
        case "random" -> seeded ? LoadBalancers.random(seed) : LoadBalancers.random();
        case "leastRequest" ->
            seeded ? LoadBalancers.leastRequest(seed) : LoadBalancers.leastRequest();
        case "peakEwma" -> seeded ? LoadBalancers.peakEwma(seed) : LoadBalancers.peakEwma();
        case "ringHash" ->
            LoadBalancers.ringHash(hashOn(node), Fields.integer(node, "minRingSize", 1024));
        default -> LoadBalancers.maglev(hashOn(node), Fields.integer(node, "tableSize", 65537));
      };
    } catch (MeshConfigException e) {
      problems.add(path, e);
      return null;
    }
  }

  private static HashPolicy hashOn(JsonNode node) {
    JsonNode on = node.get("hashOn");
    return on.has("header")
        ? HashPolicy.header(on.get("header").asText())
        : HashPolicy.cookie(on.get("cookie").asText());
  }
}

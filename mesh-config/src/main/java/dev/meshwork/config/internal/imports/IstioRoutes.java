package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.Fields;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Imports an Istio {@code VirtualService}'s HTTP routes onto its host's Meshwork service. */
final class IstioRoutes {
  private IstioRoutes() {}

  static void virtualService(Manifest manifest, Context context) {
    Node spec = Node.of(manifest, "spec", manifest.root().path("spec"), context.report);
    if (spec == null) {
      return;
    }
    String service = service(spec, manifest, context);
    JsonNode gateways = spec.raw("gateways");
    if (gateways != null && !(gateways.isArray() && allMesh(gateways))) {
      context.report.unsupported(
          manifest,
          spec.at("gateways"),
          gateways,
          "routes for a gateway's traffic, not for the calls of this mesh's clients",
          true);
    }
    spec.unsupported(
        "exportTo",
        "visibility across namespaces; a mesh document applies to the mesh that loads it",
        false);
    spec.unsupported("tls", "TLS passthrough routes: Meshwork routes HTTP calls", true);
    spec.unsupported("tcp", "TCP routes: Meshwork routes HTTP calls", true);
    List<Node> http = spec.objects("http");
    spec.finish();
    if (service == null || !Importer.routes(context, service, manifest, spec)) {
      return;
    }
    List<Built> routes = new ArrayList<>();
    for (int i = 0; i < http.size(); i++) {
      route(http.get(i), i, service, context, routes);
    }
    if (!routes.isEmpty() && routes.get(routes.size() - 1).node.has("match")) {
      context.report.unsupported(
          manifest,
          spec.at("http"),
          TextNode.valueOf(http.size() + " routes, the last with a match"),
          "Istio answers 404 to a call no route matches, Meshwork would send it to any endpoint"
              + " of '"
              + service
              + "'; end with a route without match",
          true);
    }
    Importer.writeRoutes(context, service, spec.location("http"), routes);
  }

  /** The one service the VirtualService's hosts name; null after reporting why there is none. */
  private static String service(Node spec, Manifest manifest, Context context) {
    List<String> hosts = spec.texts("hosts");
    if (hosts.isEmpty()) {
      context.report.error(manifest, spec.at("hosts"), "", "the host whose calls are routed");
      return null;
    }
    String service = null;
    for (int i = 0; i < hosts.size(); i++) {
      String name =
          context.hosts.service(
              spec, DocPath.index(spec.at("hosts"), i), hosts.get(i), manifest.namespace());
      if (name == null) {
        return null;
      }
      if (service != null && !name.equals(service)) {
        context.report.unsupported(
            manifest,
            DocPath.index(spec.at("hosts"), i),
            TextNode.valueOf(hosts.get(i)),
            "a second service in one VirtualService: Meshwork routes each service's calls among"
                + " its own subsets",
            true);
        return null;
      }
      service = name;
    }
    return service;
  }

  private static void route(
      Node http, int index, String service, Context context, List<Built> routes) {
    String name = http.text("name");
    if (name == null) {
      name = http.manifest.name() + "-" + index;
    }
    http.unsupported("redirect", "a redirect answers the call without the service", true);
    http.unsupported("directResponse", "a direct response answers without the service", true);
    http.unsupported("delegate", "delegation to another VirtualService", true);
    http.unsupported("rewrite", "a rewrite changes the path or authority the service gets", true);
    http.unsupported(
        "corsPolicy",
        "CORS is answered by the called server to browsers; a mesh client sends no preflight",
        false);
    headers(http);
    Duration timeout = http.duration("timeout");
    Node retries = http.object("retries");
    Retries.Policy policy = retries == null ? null : Retries.istio(retries);
    context.perService(
        http,
        "retries",
        service,
        "retries",
        policy == null ? null : policy.retries(),
        http.location("retries"));
    context.perService(
        http,
        "retries.perTryTimeout",
        service,
        "timeouts.perTry",
        policy == null ? null : policy.perTry(),
        http.location("retries"));
    Built route = new Built(http.location());
    route.node.put("name", name);
    // Istio's 0s turns the route's timeout off; Meshwork's route then keeps the service's deadline.
    if (timeout != null && !timeout.isZero()) {
      route.node.put("timeout", Context.duration(timeout));
      route.place("timeout", http.location("timeout"));
    }
    split(http, service, context, route);
    mirror(http, service, context, route);
    Node fault = http.object("fault");
    if (fault != null) {
      ObjectNode built = IstioMatches.fault(fault);
      if (!built.isEmpty()) {
        route.node.set("fault", built);
        route.place("fault", fault.location());
      }
    }
    List<Node> matches = http.objects("match");
    http.finish();
    if (matches.isEmpty()) {
      routes.add(route);
      return;
    }
    for (int j = 0; j < matches.size(); j++) {
      Node match = matches.get(j);
      String matchName = match.text("name");
      Built copy = route.copy();
      if (matches.size() > 1) {
        copy.node.put("name", name + "-" + (matchName == null ? String.valueOf(j) : matchName));
      }
      ObjectNode condition = IstioMatches.match(match);
      if (!condition.isEmpty()) {
        ObjectNode ordered = Fields.newObject();
        ordered.set("name", copy.node.get("name"));
        ordered.set("match", condition);
        ordered.setAll(copy.node);
        copy = new Built(ordered, copy.at).place("match", match.location());
        for (Built.Placement p : route.placements()) {
          copy.place(p.relative(), p.at());
        }
      }
      routes.add(copy);
    }
  }

  private static void headers(Node owner) {
    Node headers = owner.object("headers");
    if (headers != null) {
      headers.unsupported(
          "request",
          "Meshwork does not change request headers; the service would get them as the caller"
              + " wrote them",
          true);
      headers.unsupported(
          "response", "Meshwork does not change the response headers the caller sees", false);
      headers.finish();
    }
  }

  private static void split(Node http, String service, Context context, Built route) {
    List<Node> destinations = http.objects("route");
    if (destinations.isEmpty()) {
      http.report.error(
          http.manifest, http.at("route"), "", "at least one destination of '" + service + "'");
      return;
    }
    ArrayNode split = Context.array();
    boolean whole = false;
    for (int k = 0; k < destinations.size(); k++) {
      Node weighted = destinations.get(k);
      Node destination = weighted.object("destination");
      Long weight = weighted.integer("weight", 0, 100);
      headers(weighted);
      weighted.finish();
      if (destination == null) {
        weighted.report.error(
            weighted.manifest, weighted.at("destination"), "", "the destination's host and subset");
        continue;
      }
      int errors = weighted.report.errors();
      String subset = destination(destination, service, context);
      if (subset == null && weighted.report.errors() > errors) {
        continue;
      }
      if (subset == null) {
        whole = true;
        if (destinations.size() > 1) {
          weighted.report.unsupported(
              weighted.manifest,
              destination.path,
              destination.node,
              "a destination without subset in a weighted route: Meshwork splits calls among"
                  + " subsets of '"
                  + service
                  + "', not between a subset and the whole service",
              true);
        }
        continue;
      }
      ObjectNode entry = split.addObject();
      entry.put("subset", subset);
      entry.put("weight", destinations.size() == 1 ? 100 : weight == null ? 0 : weight);
      route.place("split[" + (split.size() - 1) + "]", weighted.location());
    }
    if (!whole || destinations.size() > 1) {
      route.node.set("split", split);
    }
  }

  /** The subset a destination names, checked; null for the whole service or after a problem. */
  static String destination(Node destination, String service, Context context) {
    String host = destination.text("host");
    String subset = destination.text("subset");
    destination.unsupported(
        "port",
        "a port of the service: Meshwork calls each endpoint at the port its discovery gives",
        false);
    destination.finish();
    if (host == null) {
      destination.report.error(
          destination.manifest, destination.at("host"), "", "the destination's host");
      return null;
    }
    String named =
        context.hosts.service(
            destination, destination.at("host"), host, destination.manifest.namespace());
    if (named != null && !named.equals(service)) {
      destination.report.unsupported(
          destination.manifest,
          destination.at("host"),
          TextNode.valueOf(host),
          "a route to another service ('"
              + named
              + "'): Meshwork routes the calls of '"
              + service
              + "' among its own subsets",
          true);
      return null;
    }
    if (subset == null) {
      return null;
    }
    Map<String, Map<String, String>> declared = context.subsets.get(service);
    if (declared == null || !declared.containsKey(subset)) {
      destination.report.error(
          destination.manifest,
          destination.at("subset"),
          subset,
          declared == null
              ? "a subset of a DestinationRule for '"
                  + service
                  + "' (the input has no DestinationRule for it)"
              : "one of the subsets the DestinationRule for '"
                  + service
                  + "' declares "
                  + declared.keySet());
      return null;
    }
    return subset;
  }

  private static void mirror(Node http, String service, Context context, Built route) {
    Node single = http.object("mirror");
    Node percentage = http.object("mirrorPercentage");
    Long legacy = http.integer("mirrorPercent", 0, 100);
    List<Node> mirrors = http.objects("mirrors");
    Node destination = single;
    BigDecimal percent = null;
    if (percentage != null) {
      percent = percentage.number("value", 0, 100);
      percentage.finish();
    } else if (legacy != null) {
      percent = BigDecimal.valueOf(legacy);
    }
    if (!mirrors.isEmpty()) {
      if (single != null || mirrors.size() > 1) {
        http.report.unsupported(
            http.manifest,
            http.at("mirrors"),
            http.node.get("mirrors"),
            "more than one mirror: Meshwork mirrors a route to one subset",
            true);
        return;
      }
      Node policy = mirrors.get(0);
      destination = policy.object("destination");
      Node share = policy.object("percentage");
      if (share != null) {
        percent = share.number("value", 0, 100);
        share.finish();
      }
      policy.finish();
    }
    if (destination == null) {
      return;
    }
    int errors = http.report.errors();
    String subset = destination(destination, service, context);
    if (subset == null) {
      if (http.report.errors() > errors) {
        return;
      }
      http.report.unsupported(
          http.manifest,
          destination.path,
          destination.node,
          "a mirror to the whole service: Meshwork mirrors to a subset of '" + service + "'",
          true);
      return;
    }
    ObjectNode mirror = route.node.putObject("mirror");
    mirror.put("subset", subset);
    mirror.set("percent", Fields.number(percent == null ? 100 : percent.doubleValue()));
    route.place("mirror", destination.location());
  }

  private static boolean allMesh(JsonNode gateways) {
    for (JsonNode gateway : gateways) {
      if (!gateway.asText().equals("mesh")) {
        return false;
      }
    }
    return true;
  }
}

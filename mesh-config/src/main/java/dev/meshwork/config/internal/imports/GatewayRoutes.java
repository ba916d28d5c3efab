package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.meshwork.config.internal.Fields;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Imports a Gateway API {@code HTTPRoute} attached to a Service (the GAMMA mesh profile) onto that
 * Meshwork service. A backend that is another Service becomes a subset of the parent named after
 * it, whose labels are that Service's selector when the input holds it.
 */
final class GatewayRoutes {
  private GatewayRoutes() {}

  /** One match of a rule, ranked as Gateway API orders matches. */
  private record Ranked(
      Built route, int pathRank, int prefixLength, int methods, int headers, int order) {}

  static void httpRoute(Manifest manifest, Context context) {
    Node spec = Node.of(manifest, "spec", manifest.root().path("spec"), context.report);
    if (spec == null) {
      return;
    }
    List<String> parents = new ArrayList<>();
    for (Node parent : spec.objects("parentRefs")) {
      String service = parent(parent, context);
      if (service != null) {
        parents.add(service);
      }
    }
    if (!spec.has("parentRefs") || spec.node.path("parentRefs").isEmpty()) {
      context.report.error(
          manifest, spec.at("parentRefs"), "", "the Service the route attaches to");
    }
    spec.unsupported(
        "hostnames",
        "a mesh route applies to the calls of its parent Service; Meshwork does not match the Host",
        false);
    List<Node> rules = spec.objects("rules");
    spec.finish();
    for (String service : parents) {
      if (!Importer.routes(context, service, manifest, spec)) {
        continue;
      }
      List<Ranked> ranked = new ArrayList<>();
      for (int i = 0; i < rules.size(); i++) {
        rule(rules.get(i), i, service, context, ranked, service.equals(parents.get(0)));
      }
      ranked.sort(
          Comparator.comparingInt(Ranked::pathRank)
              .thenComparing(Comparator.comparingInt(Ranked::prefixLength).reversed())
              .thenComparing(Comparator.comparingInt(Ranked::methods).reversed())
              .thenComparing(Comparator.comparingInt(Ranked::headers).reversed())
              .thenComparingInt(Ranked::order));
      List<Built> routes = new ArrayList<>();
      ranked.forEach(r -> routes.add(r.route()));
      if (rules.isEmpty()) {
        Built all = new Built(spec.location());
        all.node.put("name", manifest.name());
        routes.add(all);
      }
      if (routes.get(routes.size() - 1).node.has("match")) {
        context.report.unsupported(
            manifest,
            spec.at("rules"),
            TextNode.valueOf(rules.size() + " rules, none matching every call"),
            "Gateway API answers 404 to a call no rule matches, Meshwork would send it to any"
                + " endpoint of '"
                + service
                + "'; add a rule for path prefix /",
            true);
      }
      Importer.writeRoutes(context, service, spec.location("rules"), routes);
    }
  }

  /** The Service a parentRef names; null after reporting why it is not one. */
  private static String parent(Node parent, Context context) {
    String group = parent.text("group");
    String kind = parent.text("kind");
    String name = parent.text("name");
    String namespace = parent.text("namespace");
    parent.unsupported(
        "sectionName", "routes for one port of the Service: Meshwork routes all its calls", true);
    parent.unsupported(
        "port", "routes for one port of the Service: Meshwork routes all its calls", false);
    parent.finish();
    if (kind == null
        || !kind.equals("Service")
        || (group != null && !group.isEmpty() && !group.equals("core"))) {
      parent.report.unsupported(
          parent.manifest,
          parent.at("kind"),
          TextNode.valueOf(kind == null ? "Gateway (the default kind)" : kind),
          "a route attached to a Gateway: Meshwork imports mesh routes, attached to a Service"
              + " (GAMMA)",
          true);
      return null;
    }
    if (name == null) {
      parent.report.error(parent.manifest, parent.at("name"), "", "the Service's name");
      return null;
    }
    return context.hosts.service(
        parent,
        parent.at("name"),
        name,
        namespace == null ? parent.manifest.namespace() : namespace,
        true);
  }

  private static void rule(
      Node rule, int index, String service, Context context, List<Ranked> ranked, boolean first) {
    Report report = first ? rule.report : new Report(rule.manifest.source(), false);
    Node node = first ? rule : Node.of(rule.manifest, rule.path, rule.node, report);
    String name = node.text("name");
    if (name == null) {
      name = node.manifest.name() + "-" + index;
    }
    Node timeouts = node.object("timeouts");
    Duration request = null;
    Duration backend = null;
    if (timeouts != null) {
      request = timeouts.duration("request");
      backend = timeouts.duration("backendRequest");
      timeouts.finish();
    }
    context.perService(
        node,
        "timeouts.backendRequest",
        service,
        "timeouts.perTry",
        text(backend),
        node.location("timeouts"));
    Node retry = node.object("retry");
    Retries.Policy policy = retry == null ? null : Retries.gateway(retry);
    context.perService(
        node,
        "retry",
        service,
        "retries",
        policy == null ? null : policy.retries(),
        node.location("retry"));
    node.unsupported(
        "sessionPersistence",
        "sticky sessions: Meshwork hashes on a header or cookie instead",
        true);
    Built route = new Built(node.location());
    route.node.put("name", name);
    // 0s turns the rule's timeout off; Meshwork's route then keeps the service's deadline.
    TextNode timeout = text(request);
    if (timeout != null) {
      route.node.set("timeout", timeout);
      route.place("timeout", node.location("timeouts"));
    }
    for (Node filter : node.objects("filters")) {
      filter(filter, service, context, route);
    }
    split(node, service, context, route);
    List<Node> matches = node.objects("matches");
    node.finish();
    if (matches.isEmpty()) {
      ranked.add(new Ranked(route, 2, 1, 0, 0, ranked.size()));
      return;
    }
    for (int j = 0; j < matches.size(); j++) {
      Node match = matches.get(j);
      Built copy = route.copy();
      if (matches.size() > 1) {
        copy.node.put("name", name + "-" + j);
      }
      ObjectNode condition = Fields.newObject();
      int[] rank = GatewayMatches.match(match, condition);
      if (!condition.isEmpty()) {
        ObjectNode ordered = Fields.newObject();
        ordered.set("name", copy.node.get("name"));
        ordered.set("match", condition);
        ordered.setAll(copy.node);
        Built placed = new Built(ordered, copy.at).place("match", match.location());
        copy.placements().forEach(p -> placed.place(p.relative(), p.at()));
        copy = placed;
      }
      ranked.add(new Ranked(copy, rank[0], rank[1], rank[2], rank[3], ranked.size()));
    }
  }

  private static TextNode text(Duration duration) {
    return duration == null || duration.isZero()
        ? null
        : TextNode.valueOf(Context.duration(duration));
  }

  private static void split(Node rule, String service, Context context, Built route) {
    List<Node> backends = rule.objects("backendRefs");
    if (backends.isEmpty()) {
      rule.report.error(
          rule.manifest,
          rule.at("backendRefs"),
          "",
          "at least one backend Service for '" + service + "'");
      return;
    }
    List<String> subsets = new ArrayList<>();
    List<Long> weights = new ArrayList<>();
    for (Node backend : backends) {
      Long weight = backend.integer("weight", 0, 1_000_000);
      backend.unsupported(
          "filters",
          "filters for one backend: Meshwork applies a route's settings to all of it",
          true);
      String subset = backend(backend, service, context);
      subsets.add(subset);
      weights.add(weight == null ? 1 : weight);
    }
    if (backends.size() == 1 && service.equals(subsets.get(0))) {
      return;
    }
    ArrayNode split = route.node.putArray("split");
    for (int k = 0; k < backends.size(); k++) {
      if (subsets.get(k) != null) {
        split.addObject().put("subset", subsets.get(k)).put("weight", weights.get(k));
        route.place("split[" + (split.size() - 1) + "]", backends.get(k).location());
        context.declareSubset(service, subsets.get(k), backends.get(k));
      }
    }
  }

  /** The subset a backendRef names (the Service's name; the parent's own name for itself). */
  private static String backend(Node backend, String service, Context context) {
    String group = backend.text("group");
    String kind = backend.text("kind");
    String name = backend.text("name");
    String namespace = backend.text("namespace");
    backend.pass("port");
    backend.finish();
    if ((kind != null && !kind.equals("Service"))
        || (group != null && !group.isEmpty() && !group.equals("core"))) {
      backend.report.unsupported(
          backend.manifest,
          backend.at("kind"),
          TextNode.valueOf(kind == null ? String.valueOf(group) : kind),
          "a backend that is not a Service of the route's namespace",
          true);
      return null;
    }
    if (namespace != null && !namespace.equals(backend.manifest.namespace())) {
      backend.report.unsupported(
          backend.manifest,
          backend.at("namespace"),
          TextNode.valueOf(namespace),
          "a backend in another namespace: Meshwork reads no ReferenceGrant, and splits a"
              + " service's calls among its own subsets",
          true);
      return null;
    }
    if (name == null) {
      backend.report.error(backend.manifest, backend.at("name"), "", "the backend Service's name");
      return null;
    }
    String named =
        context.hosts.service(
            backend, backend.at("name"), name, backend.manifest.namespace(), true);
    return named;
  }

  private static void filter(Node filter, String service, Context context, Built route) {
    String type = filter.text("type");
    String key =
        type == null || type.isEmpty()
            ? ""
            : Character.toLowerCase(type.charAt(0)) + type.substring(1);
    switch (type == null ? "" : type) {
      case "RequestMirror" -> mirror(filter.object("requestMirror"), service, context, route);
      case "ResponseHeaderModifier" ->
          filter.unsupported(
              key, "Meshwork does not change the response headers the caller sees", false);
      case "CORS" ->
          filter.unsupported(
              "cors",
              "CORS is answered by the called server to browsers; a mesh client sends no preflight",
              false);
      case "RequestHeaderModifier" ->
          filter.unsupported(
              key,
              "Meshwork does not change request headers; the service would get them as written",
              true);
      case "RequestRedirect" ->
          filter.unsupported(key, "a redirect answers the call without the service", true);
      case "URLRewrite" ->
          filter.unsupported(key, "a rewrite changes the path or host the service gets", true);
      case "ExternalAuth" ->
          filter.unsupported("externalAuth", "an authorization check Meshwork does not make", true);
      case "ExtensionRef" ->
          filter.unsupported("extensionRef", "an implementation's own filter", true);
      default ->
          filter.report.unsupported(
              filter.manifest,
              filter.at("type"),
              TextNode.valueOf(String.valueOf(type)),
              "a filter type Gateway API v1 has",
              true);
    }
    filter.finish();
  }

  private static void mirror(Node mirror, String service, Context context, Built route) {
    if (mirror == null) {
      return;
    }
    Node backend = mirror.object("backendRef");
    Long percent = mirror.integer("percent", 0, 100);
    Node fraction = mirror.object("fraction");
    double share = percent == null ? 100 : percent;
    if (fraction != null) {
      Long numerator = fraction.integer("numerator", 0, Integer.MAX_VALUE);
      Long denominator = fraction.integer("denominator", 1, Integer.MAX_VALUE);
      fraction.finish();
      share =
          100.0 * (numerator == null ? 0 : numerator) / (denominator == null ? 100 : denominator);
    }
    mirror.finish();
    if (backend == null) {
      mirror.report.error(mirror.manifest, mirror.at("backendRef"), "", "the Service to mirror to");
      return;
    }
    String subset = backend(backend, service, context);
    if (subset == null) {
      return;
    }
    if (subset.equals(service)) {
      mirror.report.unsupported(
          mirror.manifest,
          backend.path,
          backend.node,
          "a mirror to the route's own Service: Meshwork mirrors to a subset (another Service)",
          true);
      return;
    }
    if (route.node.has("mirror")) {
      mirror.report.unsupported(
          mirror.manifest,
          mirror.path,
          mirror.node,
          "a second mirror: Meshwork mirrors a route to one subset",
          true);
      return;
    }
    route.node.putObject("mirror").put("subset", subset).set("percent", Fields.number(share));
    route.place("mirror", mirror.location());
    context.declareSubset(service, subset, backend);
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Compiles a service's {@code subsets} and {@code routes} into its route table. */
final class RouteCompiler {
  private RouteCompiler() {}

  /** The table, or null after adding problems. */
  static RouteTable table(JsonNode service, String path, Problems problems) {
    RouteTable.Builder table = RouteTable.builder();
    Map<String, Map<String, String>> subsets = new LinkedHashMap<>();
    JsonNode declared = service.get("subsets");
    if (declared != null) {
      declared
          .fields()
          .forEachRemaining(
              entry -> {
                Map<String, String> labels = new LinkedHashMap<>();
                entry
                    .getValue()
                    .fields()
                    .forEachRemaining(l -> labels.put(l.getKey(), l.getValue().asText()));
                subsets.put(entry.getKey(), labels);
              });
    }
    try {
      subsets.forEach(table::subset);
    } catch (MeshConfigException e) {
      problems.add(DocPath.child(path, "subsets"), e);
      return null;
    }
    boolean ok = true;
    JsonNode routes = service.get("routes");
    Set<String> names = new java.util.HashSet<>();
    for (int i = 0; routes != null && i < routes.size(); i++) {
      String at = DocPath.index(DocPath.child(path, "routes"), i);
      JsonNode route = routes.get(i);
      if (!names.add(route.get("name").asText())) {
        problems.add(
            DocPath.child(at, "name"),
            route.get("name").asText(),
            "a name no other route of the service has");
        ok = false;
        continue;
      }
      ok &= checkSubsets(route, at, subsets, problems);
      Route built = route(route, at, problems);
      if (built == null) {
        ok = false;
      } else if (ok) {
        table.route(built);
      }
    }
    if (!ok) {
      return null;
    }
    try {
      return table.build();
    } catch (MeshConfigException e) {
      problems.add(DocPath.child(path, "routes"), e);
      return null;
    }
  }

  /** Each subset a route names must be declared; says where it is not. */
  private static boolean checkSubsets(
      JsonNode route, String at, Map<String, Map<String, String>> subsets, Problems problems) {
    boolean ok = true;
    JsonNode split = route.get("split");
    for (int j = 0; split != null && j < split.size(); j++) {
      String subset = split.get(j).get("subset").asText();
      if (!subsets.containsKey(subset)) {
        problems.add(
            DocPath.child(DocPath.index(DocPath.child(at, "split"), j), "subset"),
            subset,
            declared(subsets));
        ok = false;
      }
    }
    JsonNode overrides = route.get("overrides");
    for (int j = 0; overrides != null && j < overrides.size(); j++) {
      String subset = overrides.get(j).get("subset").asText();
      if (!subsets.containsKey(subset)) {
        problems.add(
            DocPath.child(DocPath.index(DocPath.child(at, "overrides"), j), "subset"),
            subset,
            declared(subsets));
        ok = false;
      }
    }
    JsonNode mirror = route.get("mirror");
    if (mirror != null && !subsets.containsKey(mirror.get("subset").asText())) {
      problems.add(
          DocPath.child(DocPath.child(at, "mirror"), "subset"),
          mirror.get("subset").asText(),
          declared(subsets));
      ok = false;
    }
    return ok;
  }

  /** What a route may name, for a problem; made only when there is one. */
  private static String declared(Map<String, Map<String, String>> subsets) {
    return subsets.isEmpty()
        ? "a subset declared under the service's subsets (it declares none)"
        : "one of the declared subsets " + subsets.keySet();
  }

  private static Route route(JsonNode node, String at, Problems problems) {
    Route.Builder route = Route.builder(node.get("name").asText());
    JsonNode match = node.get("match");
    if (match != null) {
      JsonNode path = match.get("path");
      if (path != null) {
        if (path.has("prefix")) {
          route.pathPrefix(path.get("prefix").asText());
        } else if (path.has("exact")) {
          route.pathExact(path.get("exact").asText());
        } else {
          route.pathRegex(path.get("regex").asText());
        }
      }
      route.methods(Fields.texts(match, "methods").toArray(String[]::new));
      JsonNode headers = match.get("headers");
      for (int i = 0; headers != null && i < headers.size(); i++) {
        JsonNode header = headers.get(i);
        String name = header.get("name").asText();
        if (header.has("exact")) {
          route.header(name, header.get("exact").asText());
        } else if (header.has("regex")) {
          route.headerRegex(name, header.get("regex").asText());
        } else {
          route.headerPresent(name);
        }
      }
    }
    JsonNode split = node.get("split");
    for (int i = 0; split != null && i < split.size(); i++) {
      route.split(split.get(i).get("subset").asText(), split.get(i).get("weight").asInt());
    }
    JsonNode overrides = node.get("overrides");
    for (int i = 0; overrides != null && i < overrides.size(); i++) {
      JsonNode o = overrides.get(i);
      route.override(o.get("header").asText(), o.get("value").asText(), o.get("subset").asText());
    }
    JsonNode mirror = node.get("mirror");
    if (mirror != null) {
      route.mirror(
          mirror.get("subset").asText(),
          mirror.get("percent").asDouble(),
          Fields.integer(mirror, "maxInFlight", Route.Mirror.DEFAULT_MAX_IN_FLIGHT),
          Fields.duration(mirror, "timeout", Route.Mirror.DEFAULT_TIMEOUT));
    }
    JsonNode fault = node.get("fault");
    if (fault != null) {
      route.fault(f -> fault(fault, f));
    }
    if (node.has("timeout")) {
      route.timeout(Fields.duration(node, "timeout", Duration.ZERO));
    }
    try {
      return route.build();
    } catch (MeshConfigException e) {
      problems.add(where(at, e), e);
      return null;
    }
  }

  private static void fault(JsonNode fault, Fault.Builder builder) {
    JsonNode delay = fault.get("delay");
    if (delay != null) {
      builder.delay(
          Fields.duration(delay, "duration", Duration.ZERO), delay.get("percent").asDouble());
    }
    JsonNode abort = fault.get("abort");
    if (abort != null) {
      if (abort.has("status")) {
        builder.abortStatus(abort.get("status").asInt(), abort.get("percent").asDouble());
      } else {
        builder.abortConnection(abort.get("percent").asDouble());
      }
    }
    if (fault.has("triggerHeader")) {
      builder.onlyWithHeader(fault.get("triggerHeader").asText());
    }
  }

  /** The part of the route a builder's complaint is about, as near as its field name tells. */
  private static String where(String at, MeshConfigException e) {
    String field = e.field();
    if (field.contains("regex") || field.contains("path")) {
      return DocPath.child(at, "match");
    }
    if (field.contains("fault")) {
      return DocPath.child(at, "fault");
    }
    if (field.contains("mirror")) {
      return DocPath.child(at, "mirror");
    }
    if (field.contains("split")) {
      return DocPath.child(at, "split");
    }
    if (field.contains("timeout")) {
      return DocPath.child(at, "timeout");
    }
    return at;
  }
}

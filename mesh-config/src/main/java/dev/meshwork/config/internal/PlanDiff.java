package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The semantic difference between two effective documents (defaults filled in), in the document's
 * own terms: services and routes by name, split weights by subset, static endpoints by address, and
 * every other setting by its dotted field name, never by a JSON pointer.
 */
public final class PlanDiff {
  private PlanDiff() {}

  /** How a setting changed. */
  public enum Kind {
    ADDED,
    REMOVED,
    CHANGED
  }

  /**
   * One change.
   *
   * @param kind added, removed or changed
   * @param scope {@code mesh}, a service name, or {@code <service> route <route>}
   * @param setting what changed, such as {@code timeouts.perTry} or {@code v2 weight}
   * @param before the value before, as text; empty when added
   * @param after the value after, as text; empty when removed
   */
  public record Change(Kind kind, String scope, String setting, String before, String after) {}

  public static List<Change> diff(JsonNode current, JsonNode candidate) {
    List<Change> changes = new ArrayList<>();
    compare("mesh", "", current.path("mesh"), candidate.path("mesh"), changes);
    JsonNode before = current.path("services");
    JsonNode after = candidate.path("services");
    for (String name : names(before, after)) {
      JsonNode a = before.get(name);
      JsonNode b = after.get(name);
      if (a == null) {
        changes.add(new Change(Kind.ADDED, name, "service", "", serviceSummary(b)));
      } else if (b == null) {
        changes.add(new Change(Kind.REMOVED, name, "service", serviceSummary(a), ""));
      } else {
        service(name, a, b, changes);
      }
    }
    return changes;
  }

  private static void service(String name, JsonNode a, JsonNode b, List<Change> changes) {
    for (String key : names(a, b)) {
      JsonNode x = a.path(key);
      JsonNode y = b.path(key);
      switch (key) {
        case "discovery" -> discovery(name, x, y, changes);
        case "subsets" -> {
          for (String subset : names(x, y)) {
            leaf(name, "subset " + subset, x.path(subset), y.path(subset), changes);
          }
        }
        case "routes" -> routes(name, x, y, changes);
        default -> section(name, key, x, y, changes);
      }
    }
  }

  /** A policy section; turning it on or off is one change rather than one per field. */
  private static void section(
      String scope, String key, JsonNode a, JsonNode b, List<Change> changes) {
    if (a.isObject() && b.isObject() && a.has("enabled") && b.has("enabled")) {
      boolean was = a.get("enabled").asBoolean();
      boolean is = b.get("enabled").asBoolean();
      if (was != is) {
        changes.add(
            new Change(
                Kind.CHANGED, scope, key, was ? "enabled" : "disabled", state(is ? b : a, is)));
        return;
      }
    }
    compare(scope, key, a, b, changes);
  }

  private static String state(JsonNode section, boolean enabled) {
    if (!enabled) {
      return "disabled";
    }
    ObjectNode rest = section.deepCopy();
    rest.remove("enabled");
    return rest.isEmpty() ? "enabled" : "enabled " + text(rest);
  }

  private static void discovery(String scope, JsonNode a, JsonNode b, List<Change> changes) {
    if (!a.has("static") || !b.has("static")) {
      compare(scope, "discovery", a, b, changes);
      return;
    }
    Map<String, JsonNode> before = endpoints(a.get("static"));
    Map<String, JsonNode> after = endpoints(b.get("static"));
    Set<String> addresses = new LinkedHashSet<>(after.keySet());
    addresses.addAll(before.keySet());
    for (String address : addresses) {
      JsonNode x = before.get(address);
      JsonNode y = after.get(address);
      String setting = "endpoint " + address;
      if (x == null) {
        changes.add(new Change(Kind.ADDED, scope, setting, "", text(y)));
      } else if (y == null) {
        changes.add(new Change(Kind.REMOVED, scope, setting, text(x), ""));
      } else {
        for (String key : names(x, y)) {
          compare(scope, setting + " " + key, x.path(key), y.path(key), changes);
        }
      }
    }
  }

  /** Static endpoints by address, each as {weight, zone, labels} with weight 1 filled in. */
  private static Map<String, JsonNode> endpoints(JsonNode list) {
    Map<String, JsonNode> byAddress = new LinkedHashMap<>();
    for (JsonNode item : list) {
      ObjectNode entry = Fields.newObject();
      String address = item.isTextual() ? item.asText() : item.path("address").asText();
      entry.put("weight", item.path("weight").asInt(1));
      if (item.has("zone")) {
        entry.set("zone", item.get("zone"));
      }
      if (item.has("labels")) {
        entry.set("labels", item.get("labels"));
      }
      byAddress.put(address, entry);
    }
    return byAddress;
  }

  private static void routes(String service, JsonNode a, JsonNode b, List<Change> changes) {
    Map<String, JsonNode> before = byName(a);
    Map<String, JsonNode> after = byName(b);
    List<String> keptBefore = new ArrayList<>(before.keySet());
    keptBefore.retainAll(after.keySet());
    List<String> keptAfter = new ArrayList<>(after.keySet());
    keptAfter.retainAll(before.keySet());
    if (!keptBefore.equals(keptAfter)) {
      changes.add(
          new Change(
              Kind.CHANGED,
              service,
              "route order (first match wins)",
              keptBefore.toString(),
              keptAfter.toString()));
    }
    Set<String> names = new LinkedHashSet<>(after.keySet());
    names.addAll(before.keySet());
    for (String name : names) {
      JsonNode x = before.get(name);
      JsonNode y = after.get(name);
      String scope = service + " route " + name;
      if (x == null) {
        changes.add(new Change(Kind.ADDED, scope, "route", "", routeSummary(y)));
      } else if (y == null) {
        changes.add(new Change(Kind.REMOVED, scope, "route", routeSummary(x), ""));
      } else {
        route(scope, x, y, changes);
      }
    }
  }

  private static void route(String scope, JsonNode a, JsonNode b, List<Change> changes) {
    Map<String, JsonNode> before = weights(a.path("split"));
    Map<String, JsonNode> after = weights(b.path("split"));
    Set<String> subsets = new LinkedHashSet<>(after.keySet());
    subsets.addAll(before.keySet());
    for (String subset : subsets) {
      leaf(
          scope,
          subset + " weight",
          before.getOrDefault(subset, MissingNode.getInstance()),
          after.getOrDefault(subset, MissingNode.getInstance()),
          changes);
    }
    for (String key : names(a, b)) {
      if (!key.equals("name") && !key.equals("split")) {
        compare(scope, key, a.path(key), b.path(key), changes);
      }
    }
  }

  private static Map<String, JsonNode> weights(JsonNode split) {
    Map<String, JsonNode> weights = new LinkedHashMap<>();
    split.forEach(entry -> weights.put(entry.path("subset").asText(), entry.path("weight")));
    return weights;
  }

  private static Map<String, JsonNode> byName(JsonNode routes) {
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    routes.forEach(route -> byName.put(route.path("name").asText(), route));
    return byName;
  }

  /** Objects field by field; anything else as one value. */
  private static void compare(
      String scope, String setting, JsonNode a, JsonNode b, List<Change> changes) {
    if (a.isObject() && b.isObject()) {
      for (String key : names(a, b)) {
        compare(
            scope,
            setting.isEmpty() ? key : setting + "." + key,
            a.path(key),
            b.path(key),
            changes);
      }
      return;
    }
    leaf(scope, setting, a, b, changes);
  }

  private static void leaf(
      String scope, String setting, JsonNode a, JsonNode b, List<Change> changes) {
    if (same(a, b)) {
      return;
    }
    Kind kind = a.isMissingNode() ? Kind.ADDED : b.isMissingNode() ? Kind.REMOVED : Kind.CHANGED;
    changes.add(new Change(kind, scope, setting, text(a), text(b)));
  }

  /** Equal values; numbers by value, so 20 and 20.0 are the same. */
  private static boolean same(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    return a.equals(b);
  }

  /** The keys of both objects: {@code b}'s in order, then those only {@code a} has. */
  private static Set<String> names(JsonNode a, JsonNode b) {
    Set<String> names = new LinkedHashSet<>();
    b.fieldNames().forEachRemaining(names::add);
    a.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** A value as a line of YAML flow style: {@code {subset: v2, weight: 5}}; empty when missing. */
  static String text(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "";
    }
    if (node.isValueNode()) {
      return node.asText();
    }
    StringBuilder text = new StringBuilder(node.isArray() ? "[" : "{");
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        text.append(i == 0 ? "" : ", ").append(text(node.get(i)));
      }
      return text.append(']').toString();
    }
    boolean first = true;
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      text.append(first ? "" : ", ").append(field.getKey()).append(": ");
      text.append(text(field.getValue()));
      first = false;
    }
    return text.append('}').toString();
  }

  private static String serviceSummary(JsonNode service) {
    JsonNode discovery = service.path("discovery");
    String source = discovery.fieldNames().hasNext() ? discovery.fieldNames().next() : "?";
    String what =
        source.equals("static")
            ? "static, " + count(discovery.path("static").size(), "endpoint")
            : source + " " + text(discovery.path(source));
    return what
        + ", "
        + count(service.path("subsets").size(), "subset")
        + ", "
        + count(service.path("routes").size(), "route");
  }

  private static String routeSummary(JsonNode route) {
    ObjectNode rest = route.deepCopy();
    rest.remove("name");
    return rest.isEmpty() ? "every call to every endpoint" : text(rest);
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The effective configuration as lines of {@code path = value # origin}: every setting, defaults
 * and settings left unset ({@code none}) included, each with the file and line that set it or
 * {@code default}.
 */
public final class Explain {
  /** Settings a service may leave unset, shown as {@code none} when it does. */
  private static final List<String> OPTIONAL_SERVICE =
      List.of("tls", "peerIdentities", "timeouts.perTry", "timeouts.overall", "hedging.delay");

  /** Mesh-wide settings that may be unset. */
  private static final List<String> OPTIONAL_MESH =
      List.of("mesh.localZone", "mesh.randomSeed", "mesh.identity", "mesh.admin");

  private Explain() {}

  /**
   * @param origins where each value of the source documents was written
   * @param fallback the origin of a value no document wrote: {@code default}, or the running mesh
   */
  public static String explain(JsonNode effective, Map<String, Location> origins, String fallback) {
    StringBuilder text = new StringBuilder();
    walk(effective, "", origins, fallback, text);
    for (String path : OPTIONAL_MESH) {
      if (at(effective, path) == null) {
        line(text, path, "none", "default");
      }
    }
    JsonNode services = effective.get("services");
    if (services != null) {
      Iterator<String> names = services.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        String base = DocPath.child("services", name);
        for (String optional : OPTIONAL_SERVICE) {
          if (at(services.get(name), optional) == null) {
            line(
                text,
                base + "." + optional,
                optional.equals("tls") ? "mesh default (mutual with mesh.identity)" : "none",
                "default");
          }
        }
      }
    }
    return text.toString();
  }

  private static JsonNode at(JsonNode node, String dotted) {
    JsonNode current = node;
    for (String part : dotted.split("\\.")) {
      current = current == null ? null : current.get(part);
    }
    return current;
  }

  private static void walk(
      JsonNode node,
      String path,
      Map<String, Location> origins,
      String fallback,
      StringBuilder text) {
    if (node.isObject() && node.size() > 0) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        walk(field.getValue(), DocPath.child(path, field.getKey()), origins, fallback, text);
      }
      return;
    }
    if (node.isArray() && !node.isEmpty() && !allValues(node)) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), DocPath.index(path, i), origins, fallback, text);
      }
      return;
    }
    Location origin = origins.get(path);
    line(
        text,
        path,
        node.isTextual() ? node.asText() : node.toString(),
        origin == null ? fallback : origin.toString());
  }

  private static boolean allValues(JsonNode array) {
    for (JsonNode item : array) {
      if (!item.isValueNode()) {
        return false;
      }
    }
    return true;
  }

  private static void line(StringBuilder text, String path, String value, String origin) {
    text.append(path).append(" = ").append(value).append("  # ").append(origin).append('\n');
  }
}

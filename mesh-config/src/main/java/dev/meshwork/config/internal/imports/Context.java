package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.Durations;
import dev.meshwork.config.internal.Fields;
import dev.meshwork.config.internal.Location;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one import shares between its objects: the output, the report and what was declared. */
final class Context {
  final Out out = new Out();
  final Report report;
  final Hosts hosts = new Hosts();

  /** Subsets DestinationRules declare, by service. */
  final Map<String, Map<String, Map<String, String>>> subsets = new HashMap<>();

  /** Kubernetes Services of the input by name: their selectors. */
  final Map<String, Map<String, String>> selectors = new LinkedHashMap<>();

  /** The object that routes each service, so a second one is refused. */
  final Map<String, String> routedBy = new HashMap<>();

  /** The DestinationRule that governs each service, so a second one is refused. */
  final Map<String, String> governedBy = new HashMap<>();

  /** The object that set each service-level setting, by service and setting. */
  private final Map<String, Setting> settings = new HashMap<>();

  private record Setting(String value, String from) {}

  Context(Report report) {
    this.report = report;
  }

  /**
   * Sets a service-wide setting that the imported format writes per route: every route must agree,
   * since Meshwork's timeouts and retries are the service's. Null {@code value} stands for unset.
   */
  void perService(
      Node route, String field, String service, String setting, JsonNode value, Location at) {
    String key = service + "\u0000" + setting;
    String text = value == null ? "unset" : value.toString();
    String fieldPath = route.path + "." + field;
    Setting first = settings.putIfAbsent(key, new Setting(text, fieldPath));
    if (first != null && !first.value().equals(text)) {
      route.report.error(
          route.manifest,
          fieldPath,
          value == null ? "unset" : Report.text(value),
          "the same "
              + setting
              + " as "
              + first.from()
              + " ("
              + first.value()
              + "): Meshwork's timeouts and retries are per service, so every route of '"
              + service
              + "' needs the same");
      return;
    }
    if (first == null && value != null) {
      ObjectNode entry = out.service(service, at);
      String servicePath = Out.servicePath(service);
      int dot = setting.indexOf('.');
      if (dot < 0) {
        out.put(entry, servicePath, setting, value, at);
      } else {
        String section = setting.substring(0, dot);
        ObjectNode parent = out.object(entry, servicePath, section, at);
        out.put(parent, DocPath.child(servicePath, section), setting.substring(dot + 1), value, at);
      }
    }
  }

  /**
   * Declares subset {@code subset} of {@code service} with the selector of the Service of that
   * name, when the input holds it; otherwise the mesh document must declare it.
   */
  void declareSubset(String service, String subset, Node at) {
    Map<String, String> labels = selectors.get(subset);
    if (labels == null || labels.isEmpty()) {
      return;
    }
    ObjectNode entry = out.service(service, at.location());
    String path = Out.servicePath(service);
    ObjectNode declared = out.object(entry, path, "subsets", at.location());
    if (!declared.has(subset)) {
      ObjectNode values = Fields.newObject();
      labels.forEach(values::put);
      out.put(declared, DocPath.child(path, "subsets"), subset, values, at.location());
    }
  }

  static String duration(Duration duration) {
    return Durations.format(duration);
  }

  /** {@code text} as a regular expression that matches exactly it, in RE2's syntax too. */
  static String literal(String text) {
    StringBuilder regex = new StringBuilder();
    for (char c : text.toCharArray()) {
      if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
        regex.append('\\');
      }
      regex.append(c);
    }
    return regex.toString();
  }

  static ArrayNode array() {
    return Fields.newObject().arrayNode();
  }
}

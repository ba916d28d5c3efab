package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.Location;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An object of an imported manifest, read field by field. Every field is either read, reported as
 * not honoured, or passed over on purpose; {@link #finish()} refuses the rest, so a field this
 * importer does not know (a typo, a newer API's field) is never silently ignored.
 */
final class Node {
  private static final Pattern DURATION =
      Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(h|ms|m|s|us|µs|ns)");

  final Manifest manifest;
  final String path;
  final JsonNode node;
  final Report report;
  private final Set<String> taken = new HashSet<>();

  private Node(Manifest manifest, String path, JsonNode node, Report report) {
    this.manifest = manifest;
    this.path = path;
    this.node = node;
    this.report = report;
  }

  /** The object at {@code path}, or null after reporting that it is not an object. */
  static Node of(Manifest manifest, String path, JsonNode node, Report report) {
    if (!node.isObject()) {
      report.error(manifest, path, node, "an object");
      return null;
    }
    return new Node(manifest, path, node, report);
  }

  String at(String key) {
    return DocPath.child(path, key);
  }

  Location location(String key) {
    return manifest.at(at(key));
  }

  Location location() {
    return manifest.at(path);
  }

  boolean has(String key) {
    return node.hasNonNull(key);
  }

  /** The value of {@code key}, marked as read; null when absent. */
  JsonNode raw(String key) {
    taken.add(key);
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value;
  }

  Node object(String key) {
    JsonNode value = raw(key);
    return value == null ? null : of(manifest, at(key), value, report);
  }

  /** The objects of the list at {@code key}; empty when absent. */
  List<Node> objects(String key) {
    List<Node> items = new ArrayList<>();
    JsonNode value = raw(key);
    if (value == null) {
      return items;
    }
    if (!value.isArray()) {
      report.error(manifest, at(key), value, "a list");
      return items;
    }
    for (int i = 0; i < value.size(); i++) {
      Node item = of(manifest, DocPath.index(at(key), i), value.get(i), report);
      if (item != null) {
        items.add(item);
      }
    }
    return items;
  }

  String text(String key) {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      report.error(manifest, at(key), value, "a string");
      return null;
    }
    return value.asText();
  }

  List<String> texts(String key) {
    List<String> values = new ArrayList<>();
    JsonNode value = raw(key);
    if (value == null) {
      return values;
    }
    if (!value.isArray()) {
      report.error(manifest, at(key), value, "a list of strings");
      return values;
    }
    for (int i = 0; i < value.size(); i++) {
      if (value.get(i).isTextual()) {
        values.add(value.get(i).asText());
      } else {
        report.error(manifest, DocPath.index(at(key), i), value.get(i), "a string");
      }
    }
    return values;
  }

  /** A whole number from {@code min} to {@code max}; null when absent or wrong. */
  Long integer(String key, long min, long max) {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.canConvertToLong() || !value.isIntegralNumber()) {
      report.error(manifest, at(key), value, "a whole number from " + min + " to " + max);
      return null;
    }
    long number = value.asLong();
    if (number < min || number > max) {
      report.error(manifest, at(key), value, "a whole number from " + min + " to " + max);
      return null;
    }
    return number;
  }

  /** A number from {@code min} to {@code max}; null when absent or wrong. */
  BigDecimal number(String key, double min, double max) {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isNumber() || !(value.asDouble() >= min && value.asDouble() <= max)) {
      report.error(manifest, at(key), value, "a number from " + min + " to " + max);
      return null;
    }
    return value.decimalValue();
  }

  Boolean bool(String key) {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    if (!value.isBoolean()) {
      report.error(manifest, at(key), value, "true or false");
      return null;
    }
    return value.asBoolean();
  }

  /**
   * A duration as Kubernetes objects write it ({@code 1h30m}, {@code 0.5s}, {@code 250ms}); null
   * when absent or wrong.
   */
  Duration duration(String key) {
    JsonNode value = raw(key);
    if (value == null) {
      return null;
    }
    Duration parsed = value.isTextual() ? parseDuration(value.asText()) : null;
    if (parsed == null) {
      report.error(manifest, at(key), value, "a duration such as 250ms, 1.5s or 1h30m");
    }
    return parsed;
  }

  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text);
    int end = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (m.find() && m.start() == end) {
      BigDecimal amount =
          new BigDecimal(m.group(1).startsWith(".") ? "0" + m.group(1) : m.group(1));
      long unit =
          switch (m.group(2)) {
            case "h" -> 3_600_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "s" -> 1_000_000_000L;
            case "ms" -> 1_000_000L;
            case "us", "µs" -> 1_000L;
            default -> 1L;
          };
      nanos = nanos.add(amount.multiply(BigDecimal.valueOf(unit)));
      end = m.end();
    }
    if (end == 0
        || end != text.length()
        || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return null;
    }
    return Duration.ofNanos(nanos.longValue());
  }

  /** Reports {@code key}, when present, as a field Meshwork does not honour. */
  void unsupported(String key, String reason, boolean refuses) {
    JsonNode value = raw(key);
    if (value != null) {
      report.unsupported(manifest, at(key), value, reason, refuses);
    }
  }

  /** Marks fields that are not policy (they describe the object, not the traffic). */
  void pass(String... keys) {
    taken.addAll(List.of(keys));
  }

  /** Refuses every field not read yet: this importer does not know it. */
  void finish() {
    Iterator<String> keys = node.fieldNames();
    while (keys.hasNext()) {
      String key = keys.next();
      if (!taken.contains(key)) {
        report.unsupported(
            manifest,
            at(key),
            node.get(key),
            "a field of " + manifest.kind() + " this importer does not know",
            true);
      }
    }
  }
}

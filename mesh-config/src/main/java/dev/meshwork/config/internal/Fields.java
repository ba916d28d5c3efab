package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the fields of a tree the schema has already checked, with their defaults, and writes the
 * values of the effective document in one canonical form (numbers as integers when whole).
 */
public final class Fields {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Fields() {}

  public static ObjectNode object(JsonNode parent, String key) {
    JsonNode node = parent == null ? null : parent.get(key);
    return node instanceof ObjectNode object ? object : NODES.objectNode();
  }

  public static boolean has(JsonNode parent, String key) {
    return parent != null && parent.hasNonNull(key);
  }

  public static Duration duration(JsonNode parent, String key, Duration otherwise) {
    return has(parent, key) ? Durations.parse(parent.get(key).asText()) : otherwise;
  }

  public static int integer(JsonNode parent, String key, int otherwise) {
    return has(parent, key) ? parent.get(key).asInt() : otherwise;
  }

  public static long longValue(JsonNode parent, String key, long otherwise) {
    return has(parent, key) ? parent.get(key).asLong() : otherwise;
  }

  public static double number(JsonNode parent, String key, double otherwise) {
    return has(parent, key) ? parent.get(key).asDouble() : otherwise;
  }

  /** A percentage field as a ratio, exactly as written: 20 is 0.2, not 0.2000000001. */
  public static double ratio(JsonNode parent, String key, double otherwise) {
    return has(parent, key)
        ? parent.get(key).decimalValue().movePointLeft(2).doubleValue()
        : otherwise;
  }

  public static boolean bool(JsonNode parent, String key, boolean otherwise) {
    return has(parent, key) ? parent.get(key).asBoolean() : otherwise;
  }

  public static String text(JsonNode parent, String key, String otherwise) {
    return has(parent, key) ? parent.get(key).asText() : otherwise;
  }

  public static List<String> texts(JsonNode parent, String key) {
    List<String> values = new ArrayList<>();
    if (has(parent, key)) {
      parent.get(key).forEach(item -> values.add(item.asText()));
    }
    return values;
  }

  /** {@code value} as a number node: an integer when it is whole. */
  public static JsonNode number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return NODES.numberNode((long) value);
    }
    return NODES.numberNode(value);
  }

  /** A ratio as the percentage it is written as: 0.2 is 20. */
  public static JsonNode percentOf(double ratio) {
    BigDecimal percent = BigDecimal.valueOf(ratio).movePointRight(2).stripTrailingZeros();
    return percent.scale() <= 0
        ? NODES.numberNode(percent.longValueExact())
        : NODES.numberNode(percent.doubleValue());
  }

  public static ArrayNode array(Iterable<String> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(array::add);
    return array;
  }

  public static ObjectNode newObject() {
    return NODES.objectNode();
  }
}

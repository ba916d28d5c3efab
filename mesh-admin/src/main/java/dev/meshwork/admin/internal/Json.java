package dev.meshwork.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** Builds the admin pages' JSON documents with Jackson's tree model, and writes them. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  static {
    MAPPER.getFactory().setCharacterEscapes(new BrowserSafeEscapes());
  }

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An instant as ISO-8601 text, or {@code null}. */
  static String time(Instant instant) {
    return instant == null ? null : instant.toString();
  }

  /** A duration as whole milliseconds, or {@code null} for "none". */
  static ObjectNode millis(ObjectNode node, String name, Duration duration) {
    return duration == null ? node.putNull(name) : node.put(name, duration.toMillis());
  }

  /** NaN and infinities, which JSON cannot hold, are written as {@code null}. */
  static ObjectNode number(ObjectNode node, String name, double value) {
    return Double.isNaN(value) || Double.isInfinite(value)
        ? node.putNull(name)
        : node.put(name, value);
  }

  static ObjectNode strings(ObjectNode node, String name, Collection<?> values) {
    ArrayNode array = node.putArray(name);
    values.forEach(value -> array.add(String.valueOf(value)));
    return node;
  }

  static ObjectNode stringMap(ObjectNode node, String name, Map<String, String> values) {
    ObjectNode map = node.putObject(name);
    values.forEach(map::put);
    return node;
  }

  /**
   * Jackson's standard escapes plus {@code <}, U+2028 and U+2029, so the text is safe to embed
   * anywhere a browser might read it.
   */
  private static final class BrowserSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii = standardAsciiEscapesForJSON();

    BrowserSafeEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch == '\u2028'
          ? new SerializedString("\\u2028")
          : ch == '\u2029' ? new SerializedString("\\u2029") : null;
    }
  }
}

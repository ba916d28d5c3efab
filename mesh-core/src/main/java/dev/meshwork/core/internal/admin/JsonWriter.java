package dev.meshwork.core.internal.admin;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * A minimal streaming JSON writer for the admin endpoint's small documents. Written here rather
 * than taken from jackson-core so that mesh-core adds no dependency (and no version conflict with
 * the application's own Jackson) for an opt-in feature that only ever writes a few kilobytes.
 * Commas are placed automatically; {@link #name} must precede each value inside an object.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder(4096);
  /** Per open container: whether nothing was written in it yet (index = depth). */
  private boolean[] empty = new boolean[16];
  private int depth;
  private boolean afterName;

  JsonWriter beginObject() {
    beforeValue();
    out.append('{');
    push();
    return this;
  }

  JsonWriter endObject() {
    depth--;
    out.append('}');
    return this;
  }

  JsonWriter beginArray() {
    beforeValue();
    out.append('[');
    push();
    return this;
  }

  JsonWriter endArray() {
    depth--;
    out.append(']');
    return this;
  }

  JsonWriter name(String name) {
    beforeValue();
    string(name);
    out.append(':');
    afterName = true;
    return this;
  }

  JsonWriter value(String value) {
    beforeValue();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  JsonWriter value(long value) {
    beforeValue();
    out.append(value);
    return this;
  }

  /** NaN and infinities, which JSON cannot hold, are written as {@code null}. */
  JsonWriter value(double value) {
    beforeValue();
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      out.append("null");
    } else {
      out.append(value);
    }
    return this;
  }

  JsonWriter value(boolean value) {
    beforeValue();
    out.append(value);
    return this;
  }

  JsonWriter nullValue() {
    beforeValue();
    out.append("null");
    return this;
  }

  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, double value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  /** An instant as ISO-8601 text, or {@code null}. */
  JsonWriter field(String name, Instant value) {
    return name(name).value(value == null ? null : value.toString());
  }

  /** A duration as whole milliseconds, or {@code null} for "none". */
  JsonWriter millis(String name, Duration value) {
    return value == null ? name(name).nullValue() : field(name, value.toMillis());
  }

  JsonWriter strings(String name, Collection<?> values) {
    name(name).beginArray();
    for (Object value : values) {
      value(String.valueOf(value));
    }
    return endArray();
  }

  JsonWriter stringMap(String name, Map<String, String> values) {
    name(name).beginObject();
    values.forEach(this::field);
    return endObject();
  }

  byte[] toBytes() {
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void push() {
    depth++;
    if (depth == empty.length) {
      empty = Arrays.copyOf(empty, depth * 2);
    }
    empty[depth] = true;
  }

  private void beforeValue() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (!empty[depth]) {
        out.append(',');
      }
      empty[depth] = false;
    }
  }

  private void string(String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // Control characters must be escaped; U+2028/2029 and '<' too, so the text is safe to
          // embed anywhere a browser might read it.
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '<') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}

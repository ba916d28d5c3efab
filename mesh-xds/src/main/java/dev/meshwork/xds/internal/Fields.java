package dev.meshwork.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Tracks which fields of one protobuf message the mapping read, so that every other field that is
 * set can be reported as unsupported with its path and value. Sub-messages the mapping looks into
 * get their own tracker through {@link #child}; a field marked {@link #use used} counts as honoured
 * with everything under it.
 */
final class Fields {
  private final Message message;
  private final String path;
  private final Set<String> used = new HashSet<>();
  private final Map<String, Fields> children = new LinkedHashMap<>();
  private final Map<String, String> reasons = new LinkedHashMap<>();
  private final List<String[]> notes = new ArrayList<>();

  Fields(Message message, String path) {
    this.message = message;
    this.path = path;
  }

  /** The path of {@code field} under this message, for error messages. */
  String at(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  String path() {
    return path;
  }

  /** Marks {@code names} as honoured, fields below them included. */
  Fields use(String... names) {
    for (String name : names) {
      descriptor(name);
      used.add(name);
    }
    return this;
  }

  /** Reports {@code name}, when set, as unsupported with {@code why}. */
  Fields unsupported(String name, String why) {
    descriptor(name);
    reasons.put(name, why);
    return this;
  }

  /** Reports {@code value} at {@code key} (a path below this message) as unsupported. */
  Fields note(String key, Object value, String why) {
    notes.add(new String[] {at(key), text(value), why});
    return this;
  }

  /** A tracker for the singular message field {@code name}. */
  Fields child(String name) {
    FieldDescriptor field = descriptor(name);
    return children.computeIfAbsent(
        name, key -> new Fields((Message) message.getField(field), at(name)));
  }

  /** A tracker for element {@code index} of the repeated message field {@code name}. */
  Fields child(String name, int index) {
    FieldDescriptor field = descriptor(name);
    String key = name + "[" + index + "]";
    return children.computeIfAbsent(
        key, k -> new Fields((Message) message.getRepeatedField(field, index), at(key)));
  }

  /**
   * Unpacks the {@code Any} field {@code name} into {@code type} and tracks the unpacked message.
   *
   * @throws XdsRejection naming the field when it holds another type or does not decode
   */
  <T extends Message> T unpack(String name, Class<T> type) {
    return unpack(name, (Any) message.getField(descriptor(name)), type, name);
  }

  /** As {@link #unpack(String, Class)}, for an {@code Any} at {@code key} of this message. */
  <T extends Message> T unpack(String key, Any any, Class<T> type, String field) {
    descriptor(field);
    try {
      T unpacked = any.unpack(type);
      children.put(key, new Fields(unpacked, at(key)));
      return unpacked;
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejection(
          at(key), "holds " + any.getTypeUrl() + ", not " + type.getSimpleName());
    }
  }

  /** The tracker of an unpacked {@code Any} at {@code key}. */
  Fields unpacked(String key) {
    return children.get(key);
  }

  /** Adds every set field nobody used to {@code out}. */
  void report(String type, String resource, List<Unsupported> out) {
    for (String[] note : notes) {
      out.add(new Unsupported(type, resource, note[0], note[1], note[2]));
    }
    for (Map.Entry<FieldDescriptor, Object> entry : message.getAllFields().entrySet()) {
      FieldDescriptor field = entry.getKey();
      String name = field.getName();
      if (used.contains(name)) {
        continue;
      }
      String why = reasons.getOrDefault(name, "not supported by Meshwork");
      if (field.isRepeated()) {
        List<?> values = (List<?>) entry.getValue();
        for (int i = 0; i < values.size(); i++) {
          String key = name + "[" + i + "]";
          Fields child = children.get(key);
          if (child != null) {
            child.report(type, resource, out);
          } else {
            out.add(new Unsupported(type, resource, at(key), text(values.get(i)), why));
          }
        }
      } else if (children.containsKey(name)) {
        children.get(name).report(type, resource, out);
      } else {
        out.add(new Unsupported(type, resource, at(name), text(entry.getValue()), why));
      }
    }
    if (!message.getUnknownFields().asMap().isEmpty()) {
      out.add(
          new Unsupported(
              type,
              resource,
              at("(unknown fields " + message.getUnknownFields().asMap().keySet() + ")"),
              "",
              "fields newer than the Envoy API Meshwork was built with"));
    }
  }

  private FieldDescriptor descriptor(String name) {
    FieldDescriptor field = message.getDescriptorForType().findFieldByName(name);
    if (field == null) {
      throw new IllegalArgumentException(
          message.getDescriptorForType().getFullName() + " has no field " + name);
    }
    return field;
  }

  /** A value as short text for reports and NACK messages. */
  static String text(Object value) {
    String text =
        value instanceof Message m
            ? "{" + TextFormat.printer().shortDebugString(m) + "}"
            : String.valueOf(value);
    return text.length() > 160 ? text.substring(0, 157) + "..." : text;
  }
}

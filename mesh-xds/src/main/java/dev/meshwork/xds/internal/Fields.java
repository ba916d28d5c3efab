package dev.meshwork.xds.internal;

import com.google.protobuf.Any;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tracks which fields of one protobuf message the mapping read, so that every other field that is
 * set can be reported as unsupported with its path and value. Sub-messages the mapping looks into
 * get their own tracker through {@link #child}; a field marked {@link #use used} counts as honoured
 * with everything under it.
 *
 * <p>A tracker exists per message of every update (thousands of endpoints each), so it keeps its
 * state in arrays indexed by field and builds paths only when a report or an error needs them.
 */
final class Fields {
  private static final Map<Descriptor, Shape> SHAPES = new ConcurrentHashMap<>();

  private final Message message;
  private final Shape shape;
  private final Fields parent;
  private final String segment;
  private final int index;
  private String path;
  private boolean[] used;
  private String[] reasons;
  private List<String[]> notes;
  private Fields[] children;
  private Fields[][] elements;
  // Unpacked Any values at keys other than a singular field's name, such as a map entry's.
  private Map<String, Fields> keyed;

  Fields(Message message, String path) {
    this(message, null, path, -1);
    this.path = path;
  }

  /** A tracker for {@code message} at {@code segment} (element {@code index} when >= 0). */
  private Fields(Message message, Fields parent, String segment, int index) {
    this.message = message;
    this.shape = shape(message.getDescriptorForType());
    this.parent = parent;
    this.segment = segment;
    this.index = index;
  }

  /** The path of {@code field} under this message, for error messages. */
  String at(String field) {
    String path = path();
    return path.isEmpty() ? field : path + "." + field;
  }

  String path() {
    if (path == null) {
      path = parent.at(index < 0 ? segment : segment + "[" + index + "]");
    }
    return path;
  }

  /** Marks {@code names} as honoured, fields below them included. */
  Fields use(String... names) {
    for (String name : names) {
      int field = descriptor(name).getIndex();
      if (used == null) {
        used = new boolean[shape.size()];
      }
      used[field] = true;
    }
    return this;
  }

  /** Reports {@code name}, when set, as unsupported with {@code why}. */
  Fields unsupported(String name, String why) {
    int field = descriptor(name).getIndex();
    if (reasons == null) {
      reasons = new String[shape.size()];
    }
    reasons[field] = why;
    return this;
  }

  /** Reports {@code value} at {@code key} (a path below this message) as unsupported. */
  Fields note(String key, Object value, String why) {
    if (notes == null) {
      notes = new ArrayList<>(2);
    }
    notes.add(new String[] {at(key), text(value), why});
    return this;
  }

  /** A tracker for the singular message field {@code name}. */
  Fields child(String name) {
    FieldDescriptor field = descriptor(name);
    if (children == null) {
      children = new Fields[shape.size()];
    }
    Fields child = children[field.getIndex()];
    if (child == null) {
      child = new Fields((Message) message.getField(field), this, name, -1);
      children[field.getIndex()] = child;
    }
    return child;
  }

  /** A tracker for element {@code index} of the repeated message field {@code name}. */
  Fields child(String name, int index) {
    FieldDescriptor field = descriptor(name);
    if (keyed != null) {
      Fields unpacked = keyed.get(name + "[" + index + "]");
      if (unpacked != null) {
        return unpacked;
      }
    }
    if (elements == null) {
      elements = new Fields[shape.size()][];
    }
    Fields[] all = elements[field.getIndex()];
    if (all == null || all.length <= index) {
      all = Arrays.copyOf(all == null ? new Fields[0] : all, message.getRepeatedFieldCount(field));
      elements[field.getIndex()] = all;
    }
    Fields child = all[index];
    if (child == null) {
      child = new Fields((Message) message.getRepeatedField(field, index), this, name, index);
      all[index] = child;
    }
    return child;
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
      FieldDescriptor at = shape.byName.get(key);
      if (at != null && !at.isRepeated()) {
        if (children == null) {
          children = new Fields[shape.size()];
        }
        children[at.getIndex()] = new Fields(unpacked, this, key, -1);
      } else {
        if (keyed == null) {
          keyed = new HashMap<>();
        }
        keyed.put(key, new Fields(unpacked, this, key, -1));
      }
      return unpacked;
    } catch (InvalidProtocolBufferException e) {
      throw new XdsRejection(
          at(key), "holds " + any.getTypeUrl() + ", not " + type.getSimpleName());
    }
  }

  /** The tracker of an unpacked {@code Any} at {@code key}. */
  Fields unpacked(String key) {
    Fields unpacked = keyed == null ? null : keyed.get(key);
    if (unpacked == null && children != null) {
      FieldDescriptor field = shape.byName.get(key);
      unpacked = field == null ? null : children[field.getIndex()];
    }
    return unpacked;
  }

  /** Adds every set field nobody used to {@code out}, in field number order. */
  void report(String type, String resource, List<Unsupported> out) {
    if (notes != null) {
      for (String[] note : notes) {
        out.add(new Unsupported(type, resource, note[0], note[1], note[2]));
      }
    }
    for (FieldDescriptor field : shape.byNumber) {
      int i = field.getIndex();
      if (used != null && used[i]) {
        continue;
      }
      // Set as Message.getAllFields() counts it: non-empty when repeated, hasField otherwise.
      if (field.isRepeated()) {
        int count = message.getRepeatedFieldCount(field);
        if (count > 0) {
          reportElements(field, count, type, resource, out);
        }
      } else if (message.hasField(field)) {
        Fields child = children == null ? null : children[i];
        if (child != null) {
          child.report(type, resource, out);
        } else {
          String name = field.getName();
          out.add(new Unsupported(type, resource, at(name), text(message.getField(field)), why(i)));
        }
      }
    }
    UnknownFieldSet unknown = message.getUnknownFields();
    if (unknown != UnknownFieldSet.getDefaultInstance() && !unknown.asMap().isEmpty()) {
      out.add(
          new Unsupported(
              type,
              resource,
              at("(unknown fields " + unknown.asMap().keySet() + ")"),
              "",
              "fields newer than the Envoy API Meshwork was built with"));
    }
  }

  private void reportElements(
      FieldDescriptor field, int count, String type, String resource, List<Unsupported> out) {
    String name = field.getName();
    Fields[] all = elements == null ? null : elements[field.getIndex()];
    List<?> values = null;
    for (int e = 0; e < count; e++) {
      Fields child = keyed == null ? null : keyed.get(name + "[" + e + "]");
      if (child == null && all != null && e < all.length) {
        child = all[e];
      }
      if (child != null) {
        child.report(type, resource, out);
      } else {
        if (values == null) {
          values = (List<?>) message.getField(field);
        }
        String key = name + "[" + e + "]";
        out.add(
            new Unsupported(type, resource, at(key), text(values.get(e)), why(field.getIndex())));
      }
    }
  }

  private String why(int field) {
    String why = reasons == null ? null : reasons[field];
    return why == null ? "not supported by Meshwork" : why;
  }

  private FieldDescriptor descriptor(String name) {
    FieldDescriptor field = shape.byName.get(name);
    if (field == null) {
      throw new IllegalArgumentException(
          message.getDescriptorForType().getFullName() + " has no field " + name);
    }
    return field;
  }

  private static Shape shape(Descriptor type) {
    Shape shape = SHAPES.get(type);
    return shape != null ? shape : SHAPES.computeIfAbsent(type, Shape::new);
  }

  /** A message type's fields by name and in field number order, computed once per type. */
  private static final class Shape {
    final Map<String, FieldDescriptor> byName = new HashMap<>();
    final FieldDescriptor[] byNumber;

    Shape(Descriptor type) {
      List<FieldDescriptor> fields = type.getFields();
      fields.forEach(f -> byName.put(f.getName(), f));
      byNumber = fields.toArray(FieldDescriptor[]::new);
      Arrays.sort(byNumber, Comparator.comparingInt(FieldDescriptor::getNumber));
    }

    int size() {
      return byNumber.length;
    }
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

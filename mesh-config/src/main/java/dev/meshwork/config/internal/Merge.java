package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.DocumentReader.Read;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Lays documents over each other, later over earlier, as JSON Merge Patch (RFC 7396) does: objects
 * merge by key, a {@code null} removes the key, anything else (lists included) replaces. Each value
 * keeps the location of the file that wrote it.
 */
public final class Merge {
  private Merge() {}

  /** The documents merged in order; the name is the files' names joined. */
  public static Read merge(List<Read> documents) {
    ObjectNode root = Fields.newObject();
    NavigableMap<String, Location> locations = new TreeMap<>();
    StringBuilder names = new StringBuilder();
    for (Read document : documents) {
      names.append(names.length() == 0 ? "" : " + ").append(document.source());
      patch(root, document.root(), "", new TreeMap<>(document.locations()), locations);
    }
    return new Read(names.toString(), root, Map.copyOf(locations));
  }

  private static void patch(
      ObjectNode target,
      ObjectNode patch,
      String path,
      NavigableMap<String, Location> from,
      NavigableMap<String, Location> into) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String child = DocPath.child(path, field.getKey());
      JsonNode value = field.getValue();
      if (value.isNull()) {
        target.remove(field.getKey());
        forget(into, child);
      } else if (value.isObject() && target.get(field.getKey()) instanceof ObjectNode existing) {
        copy(from, into, child, false);
        patch(existing, (ObjectNode) value, child, from, into);
      } else {
        forget(into, child);
        JsonNode copy = value.deepCopy();
        if (copy instanceof ObjectNode object) {
          // A new object may hold nulls of its own: they remove nothing, so drop them.
          dropNulls(object);
        }
        target.set(field.getKey(), copy);
        copy(from, into, child, true);
      }
    }
  }

  private static void dropNulls(ObjectNode object) {
    Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
    while (fields.hasNext()) {
      JsonNode value = fields.next().getValue();
      if (value.isNull()) {
        fields.remove();
      } else if (value instanceof ObjectNode child) {
        dropNulls(child);
      }
    }
  }

  private static void forget(NavigableMap<String, Location> locations, String path) {
    locations.remove(path);
    below(locations, path).clear();
  }

  private static void copy(
      NavigableMap<String, Location> from,
      NavigableMap<String, Location> into,
      String path,
      boolean subtree) {
    Location own = from.get(path);
    if (own != null) {
      into.put(path, own);
    }
    if (subtree) {
      into.putAll(below(from, path));
    }
  }

  /** The entries under {@code path}: its fields ({@code path.x}) and items ({@code path[0]}). */
  private static Map<String, Location> below(NavigableMap<String, Location> map, String path) {
    // '/' follows '.' and '\\' follows '[' in code-point order.
    Map<String, Location> fields = map.subMap(path + ".", true, path + "/", false);
    Map<String, Location> items = map.subMap(path + "[", true, path + "\\", false);
    return new UnionView(fields, items);
  }

  /** Two disjoint map views read and cleared as one. */
  private static final class UnionView extends java.util.AbstractMap<String, Location> {
    private final Map<String, Location> first;
    private final Map<String, Location> second;

    UnionView(Map<String, Location> first, Map<String, Location> second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public java.util.Set<Map.Entry<String, Location>> entrySet() {
      java.util.Set<Map.Entry<String, Location>> all =
          new java.util.LinkedHashSet<>(first.entrySet());
      all.addAll(second.entrySet());
      return all;
    }

    @Override
    public void clear() {
      first.clear();
      second.clear();
    }
  }
}

package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.DocPath;
import dev.meshwork.config.internal.DocumentReader.Read;
import dev.meshwork.config.internal.Fields;
import dev.meshwork.config.internal.Location;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The mesh document an import writes, each value placed at the line of the imported field it came
 * from, so problems, {@code explain()} and lint point into the imported file.
 */
final class Out {
  private final ObjectNode root = Fields.newObject();
  private final ObjectNode services = Fields.newObject();
  private final NavigableMap<String, Location> locations = new TreeMap<>();

  Out() {
    root.put("apiVersion", "meshwork.dev/v1alpha1");
    root.put("kind", "Mesh");
    root.set("services", services);
  }

  static String servicePath(String service) {
    return DocPath.child("services", service);
  }

  /** The service's entry, made at {@code at} the first time. */
  ObjectNode service(String name, Location at) {
    JsonNode existing = services.get(name);
    if (existing instanceof ObjectNode object) {
      return object;
    }
    ObjectNode entry = Fields.newObject();
    services.set(name, entry);
    locations.put(servicePath(name), at);
    locations.putIfAbsent("services", at);
    return entry;
  }

  boolean hasService(String name) {
    return services.has(name);
  }

  /** The object at {@code key} of {@code parent}, made at {@code at} when missing. */
  ObjectNode object(ObjectNode parent, String parentPath, String key, Location at) {
    if (parent.get(key) instanceof ObjectNode object) {
      return object;
    }
    ObjectNode child = Fields.newObject();
    put(parent, parentPath, key, child, at);
    return child;
  }

  /**
   * Sets {@code key} of {@code parent} to {@code value}, every part of it written at {@code at}.
   */
  void put(ObjectNode parent, String parentPath, String key, JsonNode value, Location at) {
    parent.set(key, value);
    locate(DocPath.child(parentPath, key), value, at);
  }

  /** Places {@code path} and everything under it at {@code at}. */
  void locate(String path, JsonNode value, Location at) {
    locations.put(path, at);
    if (value.isObject()) {
      value
          .fields()
          .forEachRemaining(f -> locate(DocPath.child(path, f.getKey()), f.getValue(), at));
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        locate(DocPath.index(path, i), value.get(i), at);
      }
    }
  }

  /** Places one field more precisely than its enclosing value. */
  void place(String path, Location at) {
    locations.put(path, at);
  }

  /** Places {@code path} and everything already under it at {@code at}. */
  void placeUnder(String path, Location at) {
    locations.put(path, at);
    // '/' follows '.' and '\\' follows '[' in code-point order.
    locations.subMap(path + ".", true, path + "/", false).replaceAll((k, v) -> at);
    locations.subMap(path + "[", true, path + "\\", false).replaceAll((k, v) -> at);
  }

  Read read(String source) {
    return new Read(source, root, Map.copyOf(locations));
  }
}

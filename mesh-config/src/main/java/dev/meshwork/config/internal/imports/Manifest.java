package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.Location;
import dev.meshwork.config.internal.Problems;
import java.util.Map;

/**
 * One Kubernetes object of an imported file: its kind, name and namespace, its tree and where each
 * of its values was written.
 *
 * @param source the file it came from
 * @param kind {@code HTTPRoute}, {@code VirtualService}, {@code DestinationRule} or {@code Service}
 * @param name {@code metadata.name}
 * @param namespace {@code metadata.namespace}, {@code default} when unset
 * @param root the whole object
 * @param locations where each field path of the object was written
 */
record Manifest(
    String source,
    String kind,
    String name,
    String namespace,
    ObjectNode root,
    Map<String, Location> locations) {

  /** {@code VirtualService reviews}: how problems and findings name the object. */
  String label() {
    return kind + " " + name;
  }

  /** {@code VirtualService reviews: spec.http[0].timeout}. */
  String path(String field) {
    return field.isEmpty() ? label() : label() + ": " + field;
  }

  /** Where {@code field} (or the nearest field enclosing it) was written. */
  Location at(String field) {
    Location found = Problems.nearest(locations, field);
    return found == null ? new Location(source, 0, 0) : found;
  }
}

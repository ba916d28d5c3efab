package dev.meshwork.core.routing;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshConfigException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A named slice of a service's endpoints: those whose labels include every label of the selector,
 * for example {@code version=v2}. Routes send traffic to subsets by name.
 *
 * @param name how routes refer to the subset, for example {@code v2}
 * @param labels the labels an endpoint must carry, all of them, with these values; never empty
 */
public record Subset(String name, Map<String, String> labels) {

  public Subset {
    if (name == null || name.isBlank()) {
      throw new MeshConfigException("subset name", name, "a non-blank name such as 'v2'");
    }
    Objects.requireNonNull(labels, "labels");
    if (labels.isEmpty()) {
      throw new MeshConfigException(
          "subset '" + name + "' labels",
          labels,
          "at least one label, such as version=v2 (a route without a subset already reaches every endpoint)");
    }
    labels = Map.copyOf(labels);
  }

  /** Whether {@code endpoint} belongs to this subset. */
  public boolean contains(Endpoint endpoint) {
    Map<String, String> has = endpoint.labels();
    for (Map.Entry<String, String> wanted : labels.entrySet()) {
      if (!wanted.getValue().equals(has.get(wanted.getKey()))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    // Sorted, so the effective configuration prints the same way every time.
    return name + new TreeMap<>(labels);
  }
}

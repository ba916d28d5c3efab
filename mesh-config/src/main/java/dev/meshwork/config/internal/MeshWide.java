package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.TreeSet;

/** Finds a mesh-wide setting a candidate would change: those are the builder's, fixed at start. */
public final class MeshWide {
  private MeshWide() {}

  /**
   * The first field of the effective {@code mesh} section that differs between the running mesh and
   * the candidate, with both values; empty when they agree.
   */
  public static Optional<String> change(JsonNode running, JsonNode candidate) {
    return differ("mesh", running, candidate);
  }

  private static Optional<String> differ(String path, JsonNode running, JsonNode candidate) {
    if (running.equals(candidate)) {
      return Optional.empty();
    }
    if (running.isObject() && candidate.isObject()) {
      TreeSet<String> names = new TreeSet<>();
      running.fieldNames().forEachRemaining(names::add);
      candidate.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        Optional<String> found =
            differ(DocPath.child(path, name), running.path(name), candidate.path(name));
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.of(
        path
            + ": "
            + show(candidate)
            + " where the running mesh has "
            + show(running)
            + "; mesh-wide settings do not change live, restart to apply");
  }

  private static String show(JsonNode value) {
    return value.isMissingNode() ? "none" : value.toString();
  }
}

package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.internal.Fields;
import dev.meshwork.config.internal.Location;
import java.util.ArrayList;
import java.util.List;

/**
 * A piece of the mesh document being written, with where its parts came from: the whole at one
 * line, and some fields at lines of their own.
 */
final class Built {
  final ObjectNode node;
  final Location at;
  private final List<String> paths = new ArrayList<>();
  private final List<Location> places = new ArrayList<>();

  Built(Location at) {
    this(Fields.newObject(), at);
  }

  Built(ObjectNode node, Location at) {
    this.node = node;
    this.at = at;
  }

  /** Says that the field at {@code relative} (such as {@code split[1]}) came from {@code where}. */
  Built place(String relative, Location where) {
    paths.add(relative);
    places.add(where);
    return this;
  }

  /** A field placed at a line of its own. */
  record Placement(String relative, Location at) {}

  List<Placement> placements() {
    List<Placement> all = new ArrayList<>();
    for (int i = 0; i < paths.size(); i++) {
      all.add(new Placement(paths.get(i), places.get(i)));
    }
    return all;
  }

  /** A copy with another node, keeping the places (for a route copied per match). */
  Built copy() {
    Built copy = new Built(node.deepCopy(), at);
    copy.paths.addAll(paths);
    copy.places.addAll(places);
    return copy;
  }

  /** Writes the locations under {@code path}. */
  void locate(Out out, String path) {
    out.locate(path, node, at);
    for (int i = 0; i < paths.size(); i++) {
      String relative = paths.get(i);
      out.placeUnder(
          relative.startsWith("[") ? path + relative : path + "." + relative, places.get(i));
    }
  }
}

package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Where each value of a document read was written, by field path ({@link DocPath}), as an
 * unmodifiable map. The reader records one line and column per node in the tree's pre-order, which
 * costs two ints a node; the paths, a string and an entry per node, are made only when the map is
 * first used, which a document that loads cleanly may never do. The tree must not change after it
 * is read.
 */
final class ReadLocations extends AbstractMap<String, Location> {
  private final String source;
  private final JsonNode root;
  private final int[] lines;
  private final int[] columns;
  private volatile Map<String, Location> byPath;

  private ReadLocations(String source, JsonNode root, int[] lines, int[] columns) {
    this.source = source;
    this.root = root;
    this.lines = lines;
    this.columns = columns;
  }

  /** Records the locations of one document's nodes in pre-order while it is read. */
  static final class Recorder {
    private final String source;
    private int[] lines = new int[1024];
    private int[] columns = new int[1024];
    private int count;

    Recorder(String source) {
      this.source = source;
    }

    /** The next node in pre-order was written {@code at}. */
    void add(Location at) {
      if (count == lines.length) {
        lines = Arrays.copyOf(lines, count * 2);
        columns = Arrays.copyOf(columns, count * 2);
      }
      lines[count] = at.line();
      columns[count] = at.column();
      count++;
    }

    /** The locations of {@code root}, whose nodes in pre-order are those recorded. */
    Map<String, Location> locations(JsonNode root) {
      return new ReadLocations(
          source, root, Arrays.copyOf(lines, count), Arrays.copyOf(columns, count));
    }

    /** The root's location alone (empty before it was read), for a document that broke off. */
    Map<String, Location> rootOnly() {
      return count == 0 ? Map.of() : Map.of("", new Location(source, lines[0], columns[0]));
    }
  }

  private Map<String, Location> byPath() {
    Map<String, Location> map = byPath;
    if (map == null) {
      synchronized (this) {
        map = byPath;
        if (map == null) {
          Map<String, Location> paths = new HashMap<>(lines.length * 4 / 3 + 1);
          int read = walk(root, "", 0, paths);
          if (read != lines.length) {
            throw new IllegalStateException(
                "the document's tree changed after it was read: "
                    + read
                    + " nodes, "
                    + lines.length
                    + " read");
          }
          map = java.util.Collections.unmodifiableMap(paths);
          byPath = map;
        }
      }
    }
    return map;
  }

  /** Puts the location of {@code node} and its children, from {@code index} on; the next index. */
  private int walk(JsonNode node, String path, int index, Map<String, Location> paths) {
    paths.put(path, new Location(source, lines[index], columns[index]));
    int next = index + 1;
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        next = walk(field.getValue(), DocPath.child(path, field.getKey()), next, paths);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        next = walk(node.get(i), DocPath.index(path, i), next, paths);
      }
    }
    return next;
  }

  @Override
  public Location get(Object path) {
    return byPath().get(path);
  }

  @Override
  public boolean containsKey(Object path) {
    return byPath().containsKey(path);
  }

  @Override
  public int size() {
    return lines.length;
  }

  @Override
  public Set<Entry<String, Location>> entrySet() {
    return byPath().entrySet();
  }
}

package dev.meshwork.config.internal;

import dev.meshwork.core.exception.MeshConfigException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the problems of one document, placing each at the line and column of its field (or of
 * the nearest enclosing field that has one).
 */
public final class Problems {
  private final String source;
  private final Map<String, Location> locations;
  private final Set<Issue> problems = new LinkedHashSet<>();

  public Problems(String source, Map<String, Location> locations) {
    this.source = source;
    this.locations = locations;
  }

  /** Records that the value at {@code path} is wrong. */
  public void add(String path, Object value, String expected) {
    Location at = locate(path);
    problems.add(
        new Issue(
            at == null ? source : at.source(),
            at == null ? 0 : at.line(),
            at == null ? 0 : at.column(),
            path,
            value == null ? "" : String.valueOf(value),
            expected));
  }

  /** Records a builder's refusal of the value at {@code path}. */
  public void add(String path, MeshConfigException e) {
    add(path, e.value(), expectation(e));
  }

  /** How many problems are recorded. */
  public int count() {
    return problems.size();
  }

  public boolean isEmpty() {
    return problems.isEmpty();
  }

  /** Throws the problems, in document order, unless there are none. */
  public void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    List<Issue> sorted = new ArrayList<>(problems);
    sorted.sort(
        Comparator.comparing(Issue::source)
            .thenComparingInt(Issue::line)
            .thenComparingInt(Issue::column)
            .thenComparing(Issue::path));
    throw new Issue.Refused(sorted);
  }

  private Location locate(String path) {
    return nearest(locations, path);
  }

  /**
   * Where the value at {@code path} was written, or the nearest enclosing field that was: a default
   * is placed at the section or service that left it out. Null when nothing encloses it.
   */
  public static Location nearest(Map<String, Location> locations, String path) {
    String at = path;
    while (true) {
      Location found = locations.get(at);
      if (found != null || at.isEmpty()) {
        return found;
      }
      at = parent(at);
    }
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "" : path.substring(0, cut);
  }

  /** What a builder's message says was expected, with its own field name for context. */
  static String expectation(MeshConfigException e) {
    String message = e.getMessage();
    int marker = message.indexOf(" is invalid; ");
    String reason = marker < 0 ? message : message.substring(marker + " is invalid; ".length());
    if (reason.startsWith("expected ")) {
      reason = reason.substring("expected ".length());
    }
    return reason + " (" + e.field() + ")";
  }
}

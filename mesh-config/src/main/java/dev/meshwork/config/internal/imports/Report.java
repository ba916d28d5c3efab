package dev.meshwork.config.internal.imports;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshwork.config.internal.Location;
import dev.meshwork.config.internal.Problems;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an import found: errors, which refuse it, and fields left out, which strict mode refuses
 * too. Each names the file, line, column, the object and field path, and the value.
 */
final class Report {
  /** How the expectation of a field Meshwork cannot honour begins (lint rule MW113). */
  static final String UNSUPPORTED = "no such field: Meshwork cannot honour it";

  private final boolean strict;
  private final Map<String, Location> locations = new HashMap<>();
  private final Problems problems;
  private final Set<ImportNote> notes = new LinkedHashSet<>();

  Report(String source, boolean strict) {
    this.strict = strict;
    this.problems = new Problems(source, locations);
  }

  /** Makes {@code manifest}'s fields findable by their reported paths. */
  void register(Manifest manifest) {
    manifest.locations().forEach((path, at) -> locations.put(manifest.path(path), at));
  }

  /** The value at {@code path} is wrong: the import is refused. */
  void error(Manifest manifest, String path, Object value, String expected) {
    problems.add(
        manifest.path(path), value instanceof JsonNode node ? text(node) : value, expected);
  }

  /**
   * Meshwork cannot honour the field at {@code path}. When {@code refuses} (it would route or
   * secure calls differently than written) or in strict mode, the import is refused; otherwise the
   * field is left out and reported.
   */
  void unsupported(Manifest manifest, String path, JsonNode value, String reason, boolean refuses) {
    if (refuses || strict) {
      problems.add(manifest.path(path), text(value), UNSUPPORTED + " (" + reason + ")");
      return;
    }
    Location at = manifest.at(path);
    notes.add(
        new ImportNote(
            at.source(), at.line(), at.column(), manifest.path(path), text(value), reason));
  }

  /** How many errors were found so far. */
  int errors() {
    return problems.count();
  }

  /** Throws the errors, if any. */
  void throwIfAny() {
    problems.throwIfAny();
  }

  List<ImportNote> notes() {
    return new ArrayList<>(notes);
  }

  /** A value as one short line: scalars as written, structures as JSON. */
  static String text(JsonNode value) {
    if (value == null) {
      return "";
    }
    String text = value.isValueNode() ? value.asText() : value.toString();
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}

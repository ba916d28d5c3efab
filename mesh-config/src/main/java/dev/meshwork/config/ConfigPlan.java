package dev.meshwork.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What applying a candidate config would change ({@link MeshConfig#plan}): the semantic difference
 * of the effective per-service and per-route policy, defaults filled in, in the document's terms,
 * and the lint findings of the candidate. Its text reads:
 *
 * <pre>
 * ~ mathoid route render: v2 weight 5 -&gt; 50
 * ~ mathoid: timeouts.perTry 600ms -&gt; 300ms
 * + citoid: service added: dns {srv: _http._tcp.citoid.example.org, ...}, 0 subsets, 0 routes
 * 3 changes. Lint of the candidate: no findings.
 * </pre>
 */
public final class ConfigPlan {
  /** A scope with at most this many changes is written on one line. */
  private static final int SHORT = 3;

  private final List<Change> changes;
  private final List<LintFinding> findings;

  ConfigPlan(List<Change> changes, List<LintFinding> findings) {
    this.changes = List.copyOf(changes);
    this.findings = List.copyOf(findings);
  }

  /** Whether applying the candidate would change anything. */
  public boolean hasChanges() {
    return !changes.isEmpty();
  }

  /** The changes: the mesh section first, then services by name, routes in candidate order. */
  public List<Change> changes() {
    return changes;
  }

  /** The lint findings of the candidate. */
  public List<LintFinding> findings() {
    return findings;
  }

  /**
   * A line per service, route or the mesh section that changes (a block of lines when it has more
   * than three changes), then a summary and the findings.
   */
  @Override
  public String toString() {
    Map<String, List<Change>> byScope = new LinkedHashMap<>();
    changes.forEach(c -> byScope.computeIfAbsent(c.scope(), s -> new ArrayList<>()).add(c));
    StringBuilder text = new StringBuilder();
    byScope.forEach(
        (scope, list) -> {
          Change.Kind kind = list.get(0).kind();
          boolean whole =
              list.size() == 1
                  && kind != Change.Kind.CHANGED
                  && (list.get(0).setting().equals("service")
                      || list.get(0).setting().equals("route"));
          text.append(whole ? (kind == Change.Kind.ADDED ? "+ " : "- ") : "~ ")
              .append(scope)
              .append(':');
          if (list.size() <= SHORT) {
            for (int i = 0; i < list.size(); i++) {
              text.append(i == 0 ? " " : "; ").append(list.get(i));
            }
            text.append('\n');
          } else {
            text.append('\n');
            list.forEach(change -> text.append("    ").append(change).append('\n'));
          }
        });
    text.append(
        changes.isEmpty()
            ? "No changes."
            : changes.size() + (changes.size() == 1 ? " change." : " changes."));
    text.append(" Lint of the candidate: ");
    if (findings.isEmpty()) {
      return text.append("no findings.\n").toString();
    }
    text.append(findings.size()).append(findings.size() == 1 ? " finding:\n" : " findings:\n");
    findings.forEach(f -> text.append("  ").append(f).append('\n'));
    return text.toString();
  }

  /**
   * One change.
   *
   * @param kind whether the setting is new, gone or changed
   * @param scope {@code mesh}, a service name, or {@code <service> route <route>}
   * @param setting what changed in the scope, in the document's field names: {@code
   *     timeouts.perTry}, {@code v2 weight} (a route's split), {@code endpoint 10.0.0.1:80}, {@code
   *     subset v2}, or {@code service} and {@code route} for a whole one
   * @param before the value before as one line (YAML flow style for a section); empty when added
   * @param after the value after; empty when removed
   */
  public record Change(Kind kind, String scope, String setting, String before, String after) {
    /** How a setting changed. */
    public enum Kind {
      ADDED,
      REMOVED,
      CHANGED
    }

    public Change {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(scope, "scope");
      Objects.requireNonNull(setting, "setting");
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
    }

    /** {@code v2 weight 5 -> 50}, {@code hedging.delay added: 50ms}, {@code route removed}. */
    @Override
    public String toString() {
      return switch (kind) {
        case CHANGED -> setting + " " + before + " -> " + after;
        case ADDED -> setting + " added: " + after;
        case REMOVED -> setting + " removed (was " + before + ")";
      };
    }
  }
}

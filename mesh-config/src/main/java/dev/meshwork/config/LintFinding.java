package dev.meshwork.config;

import java.util.Objects;

/**
 * One finding of the mesh document's lint ({@link MeshConfig#lint()}, {@link ConfigLint}): a
 * setting that is refused, or accepted but unlikely to do what it seems to. The code is stable
 * across releases; docs/config/lint-rules.md explains each one.
 *
 * @param code the rule's code, such as {@code MW108}
 * @param severity how serious it is
 * @param source the file or resource that wrote the setting ({@code running mesh} when the config
 *     was read from one)
 * @param line the line, from 1; 0 when unknown
 * @param column the column, from 1; 0 when unknown
 * @param path the field path, such as {@code services.mathoid.routes[1]}
 * @param message what is wrong, naming the service, route and values
 * @param hint how to fix it
 */
public record LintFinding(
    String code,
    Severity severity,
    String source,
    int line,
    int column,
    String path,
    String message,
    String hint) {

  /** How serious a finding is, gravest first. */
  public enum Severity {
    /** The document is refused, or calls fail because of it. */
    ERROR,
    /** Accepted, but it does not do what it seems to, or removes a safety net. */
    WARNING,
    /** Worth knowing; nothing is wrong yet. */
    INFO;

    /** Whether this is at least as grave as {@code other}. */
    public boolean atLeast(Severity other) {
      return compareTo(other) <= 0;
    }
  }

  public LintFinding {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(hint, "hint");
  }

  /** {@code file:line:column: warning MW108 path: message (fix: hint)}. */
  @Override
  public String toString() {
    StringBuilder text = Positions.at(source, line, column);
    text.append(": ")
        .append(severity.name().toLowerCase(java.util.Locale.ROOT))
        .append(' ')
        .append(code);
    if (!path.isEmpty()) {
      text.append(' ').append(path);
    }
    return text.append(": ").append(message).append(" (fix: ").append(hint).append(')').toString();
  }
}

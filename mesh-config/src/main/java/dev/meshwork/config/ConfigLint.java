package dev.meshwork.config;

import dev.meshwork.config.ConfigDocumentException.Problem;
import dev.meshwork.config.LintFinding.Severity;
import dev.meshwork.config.internal.LintRule;
import dev.meshwork.config.internal.Refusals;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Lints mesh documents, including ones that do not load: each problem that refuses a document
 * becomes an error finding with its code, and a document that loads is checked by {@link
 * MeshConfig#lint()}. For a unit test that keeps a config clean:
 *
 * <pre>{@code
 * List<LintFinding> findings = ConfigLint.lint(Path.of("src/main/resources/mesh.yaml"));
 * if (!findings.isEmpty()) {
 *   throw new AssertionError("mesh.yaml: " + findings);
 * }
 * }</pre>
 */
public final class ConfigLint {
  private ConfigLint() {}

  /** Every rule, by code; docs/config/lint-rules.md explains each. */
  public static List<Rule> rules() {
    List<Rule> rules = new ArrayList<>();
    for (LintRule rule : LintRule.values()) {
      rules.add(
          new Rule(rule.code(), rule.slug(), LintFindings.severity(rule.level()), rule.summary()));
    }
    return List.copyOf(rules);
  }

  /**
   * Lints {@code files} merged in order, as {@link MeshConfig#load} merges them.
   *
   * @return the findings, gravest first, then in document order; empty when the document is clean
   */
  public static List<LintFinding> lint(Path... files) {
    return lint(MeshConfig.Imports.LENIENT, files);
  }

  /**
   * Lints {@code files} as {@link MeshConfig#load(MeshConfig.Imports, Path...)} reads them: with
   * {@link MeshConfig.Imports#STRICT}, each field of an imported object that Meshwork does not
   * honour is an error (MW113) instead of a warning.
   */
  public static List<LintFinding> lint(MeshConfig.Imports imports, Path... files) {
    try {
      return MeshConfig.load(imports, files).lint();
    } catch (ConfigDocumentException e) {
      return refusals(e);
    }
  }

  /** Lints one document; {@code sourceName} names it, as in {@link MeshConfig#parse}. */
  public static List<LintFinding> lint(String text, String sourceName) {
    try {
      return MeshConfig.parse(text, sourceName).lint();
    } catch (ConfigDocumentException e) {
      return refusals(e);
    }
  }

  /** The problems of a refused document as error findings, each under the rule it falls under. */
  public static List<LintFinding> refusals(ConfigDocumentException refused) {
    List<LintFinding> findings = new ArrayList<>();
    for (Problem problem : refused.problems()) {
      LintRule rule = Refusals.rule(problem.path(), problem.expected());
      findings.add(
          new LintFinding(
              rule.code(),
              Severity.ERROR,
              problem.source(),
              problem.line(),
              problem.column(),
              problem.path(),
              (problem.value().isEmpty() ? "" : "'" + problem.value() + "' is refused; ")
                  + "expected "
                  + problem.expected(),
              hint(rule, problem)));
    }
    return List.copyOf(findings);
  }

  private static String hint(LintRule rule, Problem problem) {
    return switch (rule) {
      case UNKNOWN_SUBSET -> "declare the subset under the service's subsets, or fix its name";
      case ZERO_SPLIT_WEIGHTS ->
          "give at least one subset a positive weight (a weight of 0 parks a subset)";
      case REGEX -> "fix the expression: Java syntax, matched against the whole path or value";
      case UNSUPPORTED_FIELD ->
          Refusals.imported(problem.path())
              ? "remove the field, or configure its Meshwork equivalent in the mesh document"
                  + " (docs/config/importers.md lists every field)"
              : "remove or rename the field (docs/config/README.md lists every field)";
      default ->
          problem.path().isEmpty()
              ? "provide " + problem.expected()
              : "set " + problem.path() + " to " + problem.expected();
    };
  }

  /**
   * One lint rule.
   *
   * @param code the stable code, such as {@code MW108}
   * @param name a short name, such as {@code shadowed-route}
   * @param severity the severity of its usual finding
   * @param summary what it finds, in a few words
   */
  public record Rule(String code, String name, Severity severity, String summary) {
    public Rule {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(summary, "summary");
    }
  }
}

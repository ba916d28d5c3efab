package dev.meshwork.config.internal;

/**
 * Which lint rule a refusal of the parser, the schema or the builders falls under, so that linting
 * a document that does not load still names each problem by a stable code.
 */
public final class Refusals {
  private Refusals() {}

  /** The rule of the problem at {@code path} that expected {@code expected}. */
  public static LintRule rule(String path, String expected) {
    if (imported(path)) {
      if (expected.startsWith("no such field: Meshwork cannot honour it")) {
        return LintRule.UNSUPPORTED_FIELD;
      }
      return path.endsWith(".subset") ? LintRule.UNKNOWN_SUBSET : LintRule.INVALID_DOCUMENT;
    }
    if (expected.contains("unknown fields are refused")) {
      return LintRule.UNSUPPORTED_FIELD;
    }
    if (path.endsWith(".subset")
        && (expected.startsWith("one of the declared subsets")
            || expected.startsWith("a subset declared under"))) {
      return LintRule.UNKNOWN_SUBSET;
    }
    if (expected.contains("at least one positive weight")) {
      return LintRule.ZERO_SPLIT_WEIGHTS;
    }
    if (expected.contains("a valid Java regular expression")) {
      return LintRule.REGEX;
    }
    return LintRule.INVALID_DOCUMENT;
  }

  /** Whether {@code path} names a field of an imported object: {@code VirtualService x: spec}. */
  public static boolean imported(String path) {
    return path.matches("(HTTPRoute|VirtualService|DestinationRule|Service) [^ ]+(: .*)?");
  }

  /**
   * A finding for a field an imported format (Gateway API, Istio) has but Meshwork cannot honour:
   * {@link LintRule.Level#ERROR} in strict mode, where the import is refused, else a warning that
   * the field is left out.
   *
   * @param path the field's path in the imported document
   * @param reason why it cannot be honoured
   */
  public static Finding unsupportedField(String path, String reason, boolean strict) {
    return LintRule.UNSUPPORTED_FIELD.at(
        strict ? LintRule.Level.ERROR : LintRule.Level.WARNING,
        path,
        path + " is not supported: " + reason + (strict ? "" : "; it is left out of the mesh"),
        "remove the field, or configure its Meshwork equivalent in the mesh document");
  }
}

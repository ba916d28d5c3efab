package dev.meshwork.config.internal;

/**
 * The lint rules, each with its stable code; docs/config/lint-rules.md gives each one's rationale,
 * an example and the fix. A code is never reused for another rule.
 */
public enum LintRule {
  INVALID_DOCUMENT("MW100", "invalid-document", Level.ERROR, "the document is refused"),
  ZERO_SPLIT_WEIGHTS("MW101", "zero-split-weights", Level.ERROR, "split weights that are all 0"),
  UNKNOWN_SUBSET("MW102", "unknown-subset", Level.ERROR, "a route names an undeclared subset"),
  EMPTY_SUBSET(
      "MW103", "empty-subset", Level.ERROR, "a subset selects no endpoint of its discovery"),
  RETRY_NOT_IDEMPOTENT(
      "MW104",
      "retry-not-idempotent",
      Level.WARNING,
      "retries of non-idempotent methods without an idempotency mark"),
  RETRIES_EXCEED_TIMEOUT(
      "MW105",
      "retries-exceed-timeout",
      Level.WARNING,
      "per-try timeout x attempts (+ back-off) longer than the overall timeout"),
  RETRIES_WITHOUT_BUDGET(
      "MW106", "retries-without-budget", Level.WARNING, "retries with the retry budget off"),
  HEDGE_NOT_IDEMPOTENT(
      "MW107", "hedge-not-idempotent", Level.WARNING, "hedging on a non-idempotent route"),
  SHADOWED_ROUTE(
      "MW108", "shadowed-route", Level.WARNING, "a route an earlier route always matches first"),
  REGEX("MW109", "regex", Level.WARNING, "an invalid or dialect-sensitive regular expression"),
  PLAINTEXT_WITH_IDENTITY(
      "MW110", "plaintext-with-identity", Level.WARNING, "TLS disabled while the mesh has one"),
  FAULT_WITHOUT_TRIGGER(
      "MW111", "fault-without-trigger", Level.WARNING, "fault injection without a trigger header"),
  EJECT_ALL_WITHOUT_PANIC(
      "MW112",
      "eject-all-without-panic",
      Level.WARNING,
      "maximum ejection 100% with panic mode off"),
  UNSUPPORTED_FIELD("MW113", "unsupported-field", Level.ERROR, "an unknown or unsupported field"),
  HEDGE_WITHOUT_ATTEMPTS(
      "MW114", "hedge-without-attempts", Level.WARNING, "hedging with a single attempt");

  /** How serious a finding is. */
  public enum Level {
    ERROR,
    WARNING,
    INFO
  }

  private final String code;
  private final String slug;
  private final Level level;
  private final String summary;

  LintRule(String code, String slug, Level level, String summary) {
    this.code = code;
    this.slug = slug;
    this.level = level;
    this.summary = summary;
  }

  public String code() {
    return code;
  }

  /** A short name, such as {@code shadowed-route}. */
  public String slug() {
    return slug;
  }

  /** The level of the rule's usual finding; some findings of a rule are milder or graver. */
  public Level level() {
    return level;
  }

  public String summary() {
    return summary;
  }

  /** A finding of this rule at its usual level. */
  public Finding at(String path, String message, String hint) {
    return new Finding(this, level, path, message, hint);
  }

  /** A finding of this rule at {@code level}. */
  public Finding at(Level level, String path, String message, String hint) {
    return new Finding(this, level, path, message, hint);
  }
}

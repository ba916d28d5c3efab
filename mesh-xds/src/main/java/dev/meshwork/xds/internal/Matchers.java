package dev.meshwork.xds.internal;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Envoy's small value types in the core's terms: string matchers, percentages, durations. */
final class Matchers {
  private Matchers() {}

  /**
   * A Java regex matching exactly what {@code matcher} matches; RE2 syntax (Envoy's) is read as
   * Java's, which agrees on everything RE2 accepts but a few character classes.
   */
  static String regex(StringMatcher matcher, Fields fields) {
    fields.use("ignore_case");
    String flags = matcher.getIgnoreCase() ? "(?i)" : "";
    return switch (matcher.getMatchPatternCase()) {
      case EXACT -> use(fields, "exact", flags + Pattern.quote(matcher.getExact()));
      case PREFIX -> use(fields, "prefix", flags + Pattern.quote(matcher.getPrefix()) + ".*");
      case SUFFIX -> use(fields, "suffix", flags + ".*" + Pattern.quote(matcher.getSuffix()));
      case CONTAINS ->
          use(fields, "contains", flags + ".*" + Pattern.quote(matcher.getContains()) + ".*");
      case SAFE_REGEX ->
          use(fields, "safe_regex", regex(matcher.getSafeRegex(), fields.at("safe_regex")));
      default ->
          throw new XdsRejection(
              fields.path(),
              "a string matcher Meshwork cannot evaluate (" + matcher.getMatchPatternCase() + ")");
    };
  }

  private static String use(Fields fields, String field, String regex) {
    fields.use(field);
    return regex;
  }

  /** The regex of {@code matcher}, checked to compile. */
  static String regex(RegexMatcher matcher, String where) {
    try {
      Pattern.compile(matcher.getRegex());
    } catch (PatternSyntaxException e) {
      throw new XdsRejection(
          where + ".regex", "'" + matcher.getRegex() + "' does not compile: " + e.getDescription());
    }
    return matcher.getRegex();
  }

  /** Whether {@code matcher} is a plain, case-sensitive exact match. */
  static boolean isExact(StringMatcher matcher) {
    return matcher.getMatchPatternCase() == StringMatcher.MatchPatternCase.EXACT
        && !matcher.getIgnoreCase();
  }

  /** The share {@code percent} stands for, 0..100. */
  static double percent(FractionalPercent percent) {
    double denominator =
        switch (percent.getDenominator()) {
          case HUNDRED -> 100;
          case TEN_THOUSAND -> 10_000;
          case MILLION -> 1_000_000;
          default -> 100;
        };
    return Math.min(100, percent.getNumerator() * 100 / denominator);
  }

  /** The default value of a runtime fraction; its runtime key is reported by the caller. */
  static double percent(RuntimeFractionalPercent fraction, Fields fields) {
    fields.use("default_value");
    fields.unsupported("runtime_key", "Meshwork has no runtime layer; the default value is used");
    return percent(fraction.getDefaultValue());
  }

  static java.time.Duration duration(Duration duration) {
    return java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos());
  }
}

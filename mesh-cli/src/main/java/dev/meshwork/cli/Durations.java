package dev.meshwork.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations as people type them on a command line: a whole number with a unit ({@code 90s},
 * {@code 30m}, {@code 24h}, {@code 7d}) or ISO-8601 ({@code PT24H}). Only positive ones.
 */
final class Durations implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String text) {
    Duration duration = parse(text.trim());
    if (duration == null || duration.isZero() || duration.isNegative()) {
      throw new TypeConversionException(
          "'"
              + text
              + "' is not a positive duration; expected a whole"
              + " number with a unit s, m, h or d (such as 24h) or ISO-8601 (such as PT24H)");
    }
    return duration;
  }

  /** {@code duration} the short way, e.g. {@code 1d 2h 3m 4s}; for output. */
  static String format(Duration duration) {
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    StringBuilder out = new StringBuilder();
    long days = duration.toDays();
    if (days > 0) {
      out.append(days).append("d ");
    }
    out.append(duration.toHoursPart())
        .append("h ")
        .append(duration.toMinutesPart())
        .append("m ")
        .append(duration.toSecondsPart())
        .append('s');
    return out.toString();
  }

  private static Duration parse(String text) {
    if (text.toUpperCase(Locale.ROOT).startsWith("P")) {
      try {
        return Duration.parse(text);
      } catch (DateTimeParseException e) {
        return null;
      }
    }
    if (text.length() < 2) {
      return null;
    }
    long amount;
    try {
      amount = Long.parseLong(text.substring(0, text.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
    try {
      return switch (Character.toLowerCase(text.charAt(text.length() - 1))) {
        case 's' -> Duration.ofSeconds(amount);
        case 'm' -> Duration.ofMinutes(amount);
        case 'h' -> Duration.ofHours(amount);
        case 'd' -> Duration.ofDays(amount);
        default -> null;
      };
    } catch (ArithmeticException e) {
      return null;
    }
  }
}

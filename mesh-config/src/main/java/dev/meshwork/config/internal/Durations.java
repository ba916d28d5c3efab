package dev.meshwork.config.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the document writes them: a whole number and one unit, such as 250ms or 5s. */
public final class Durations {
  private static final Pattern FORM = Pattern.compile("([0-9]{1,12})(ns|us|ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} names; the schema has checked its form. */
  public static Duration parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a duration: " + text);
    }
    long amount = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ns" -> Duration.ofNanos(amount);
      case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1_000L));
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  /** {@code duration} in the largest unit that holds it exactly, such as 1500ms or 2m. */
  public static String format(Duration duration) {
    if (duration.isNegative()) {
      return duration.toString();
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (nanos == 0) {
      if (seconds == 0) {
        return "0s";
      }
      if (seconds % 86_400 == 0) {
        return seconds / 86_400 + "d";
      }
      if (seconds % 3_600 == 0) {
        return seconds / 3_600 + "h";
      }
      if (seconds % 60 == 0) {
        return seconds / 60 + "m";
      }
      return seconds + "s";
    }
    if (nanos % 1_000_000 == 0) {
      return seconds * 1_000 + nanos / 1_000_000 + "ms";
    }
    if (nanos % 1_000 == 0) {
      return seconds * 1_000_000 + nanos / 1_000 + "us";
    }
    return seconds * 1_000_000_000 + nanos + "ns";
  }
}

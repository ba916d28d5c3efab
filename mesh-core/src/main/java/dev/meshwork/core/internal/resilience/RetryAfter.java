package dev.meshwork.core.internal.resilience;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} header: delay-seconds or an HTTP-date (RFC 9110 section
 * 10.2.3).
 */
public final class RetryAfter {
  /** No header, or one that does not parse: the server expressed no wish. */
  public static final long ABSENT = -1;

  private RetryAfter() {}

  /** The wait the server asks for in nanoseconds, 0 for a date in the past, or {@link #ABSENT}. */
  public static long nanos(String value, Instant now) {
    if (value == null || value.isBlank()) {
      return ABSENT;
    }
    String trimmed = value.trim();
    if (trimmed.chars().allMatch(Character::isDigit)) {
      try {
        return Duration.ofSeconds(Long.parseLong(trimmed)).toNanos();
      } catch (NumberFormatException | ArithmeticException e) {
        return Long.MAX_VALUE;
      }
    }
    Instant at;
    try {
      at = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return ABSENT;
    }
    if (!at.isAfter(now)) {
      return 0;
    }
    try {
      return Duration.between(now, at).toNanos();
    } catch (ArithmeticException beyond292Years) {
      return Long.MAX_VALUE; // as far as delay-seconds that overflow
    }
  }
}

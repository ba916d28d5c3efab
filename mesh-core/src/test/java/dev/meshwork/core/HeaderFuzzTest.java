package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.internal.resilience.RetryAfter;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Fuzzes the request and response headers the mesh reads itself: the propagated deadline ({@value
 * Timeouts#DEADLINE_HEADER}), a response's {@code Retry-After}, and the {@code Cookie} a
 * consistent-hash key comes from. Each asserts its documented contract and, where a value can be
 * rendered, the round trip. Seeds: {@code
 * src/test/resources/dev/meshwork/core/HeaderFuzzTestInputs}.
 */
class HeaderFuzzTest {
  private static final long MAX_REMAINING_NANOS = Duration.ofDays(36_500).toNanos();

  /** 9999-12-31T23:59:59Z: the last instant an HTTP date's four-digit year can name. */
  private static final long LAST_HTTP_DATE = 253_402_300_799L;

  /**
   * Any header value either enters a deadline no later than the one it names (clamped to 100
   * years), enters nothing when blank, or is refused with an IllegalArgumentException that names
   * the header and quotes at most 64 characters of the value; closing the scope restores the
   * enclosing deadline. Input: the header value; with a first line of digits, that many
   * milliseconds are entered first as the enclosing deadline.
   */
  @FuzzTest
  void timeoutHeader(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String first = newline < 0 ? "" : text.substring(0, newline);
    boolean nested = !first.isEmpty() && first.length() < 12 && isDigits(first);
    String header = nested ? text.substring(newline + 1) : text;
    try (MeshDeadline.Scope outer =
        nested ? MeshDeadline.enter(Duration.ofMillis(Long.parseLong(first))) : () -> {}) {
      long start = System.nanoTime();
      long before = MeshDeadline.currentRemainingNanos();
      MeshDeadline.Scope scope;
      try {
        scope = MeshDeadline.fromHeader(header);
      } catch (IllegalArgumentException e) {
        assertTrue(
            !header.isBlank() && !isDigits(header.trim()),
            "refused a value of whole milliseconds: " + e.getMessage());
        assertTrue(
            e.getMessage().startsWith(Timeouts.DEADLINE_HEADER + ": '"),
            "the message names the header: " + e.getMessage());
        assertTrue(
            e.getMessage().length() < 64 + 200, "the message quotes a bounded part of the value");
        assertUnchanged(before, start, "a refused value enters nothing");
        return;
      }
      try (scope) {
        if (header.isBlank()) {
          assertUnchanged(before, start, "a blank header enters nothing");
        } else {
          long remaining = MeshDeadline.currentRemainingNanos();
          assertTrue(isDigits(header.trim()), "accepted '" + header + "'");
          assertTrue(remaining <= before, "the tighter deadline wins");
          assertTrue(
              remaining <= Math.min(requestedNanos(header.trim()), MAX_REMAINING_NANOS),
              "remaining " + remaining + " is within what '" + header + "' asked for");
        }
      }
      assertUnchanged(before, start, "closing restores the enclosing deadline");
    }
  }

  /**
   * The current deadline is the one that gave {@code before} at {@code start}: what remains has
   * shrunk by no more than the time since (the mesh reads the system clock).
   */
  private static void assertUnchanged(long before, long start, String message) {
    long remaining = MeshDeadline.currentRemainingNanos();
    long elapsed = System.nanoTime() - start;
    if (before == Long.MAX_VALUE) {
      assertEquals(Long.MAX_VALUE, remaining, message + " (no deadline)");
    } else {
      assertTrue(
          remaining <= before && remaining >= before - elapsed,
          message
              + ": remaining "
              + remaining
              + ", before "
              + before
              + ", "
              + elapsed
              + " ns later");
    }
  }

  private static boolean isDigits(String text) {
    return text.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  /** What a value of digits asks for, in nanoseconds, saturating as the parser does. */
  private static long requestedNanos(String digits) {
    long millis = 0;
    for (int i = 0; i < digits.length(); i++) {
      millis =
          millis > (Long.MAX_VALUE - 9) / 10
              ? Long.MAX_VALUE
              : millis * 10 + digits.charAt(i) - '0';
    }
    return millis > Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE : millis * 1_000_000;
  }

  /**
   * {@code Retry-After} never throws: it is a wait of 0 or more nanoseconds, or ABSENT when blank
   * or unreadable. Delay seconds read back as that many seconds, and the HTTP date of an instant as
   * the time until it. Input: the header value, read at a "now" taken from the input's hash.
   */
  @FuzzTest
  void retryAfter(byte[] input) {
    String value = new String(input, StandardCharsets.UTF_8);
    long seed = Arrays.hashCode(input);
    Instant now = Instant.ofEpochSecond(Math.floorMod(seed * 7919, LAST_HTTP_DATE));
    long wait = RetryAfter.nanos(value, now);
    assertTrue(wait >= 0 || wait == RetryAfter.ABSENT, "wait " + wait + " for '" + value + "'");
    if (value.isBlank()) {
      assertEquals(RetryAfter.ABSENT, wait, "a blank header asks for nothing");
    }
    String trimmed = value.trim();
    if (!trimmed.isEmpty() && isDigits(trimmed)) {
      assertEquals(expectedNanos(trimmed), wait, "delay seconds '" + trimmed + "'");
    }

    Instant at = Instant.ofEpochSecond(Math.floorMod(seed, LAST_HTTP_DATE));
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(at.atOffset(ZoneOffset.UTC));
    BigInteger until =
        BigInteger.valueOf(at.getEpochSecond() - now.getEpochSecond())
            .multiply(BigInteger.valueOf(1_000_000_000L));
    long expected =
        until.signum() <= 0 ? 0 : until.bitLength() < 64 ? until.longValueExact() : Long.MAX_VALUE;
    assertEquals(expected, RetryAfter.nanos(date, now), "date " + date + " at " + now);
  }

  private static long expectedNanos(String digits) {
    BigInteger nanos = new BigInteger(digits).multiply(BigInteger.valueOf(1_000_000_000L));
    return nanos.bitLength() < 64 ? nanos.longValueExact() : Long.MAX_VALUE;
  }

  /**
   * The consistent-hash key from a {@code Cookie} header is the value of the named cookie, found
   * among any others; a header without it gives no key; nothing throws. Input: the cookie name on
   * the first line, the header after it.
   */
  @FuzzTest
  void cookieHashKey(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    String name = (newline < 0 ? text : text.substring(0, newline)).strip();
    String header = newline < 0 ? "" : text.substring(newline + 1);
    HashPolicy policy = HashPolicy.cookie(name);
    String key = policy.keyOf(requestWithCookie(header));
    if (key != null) {
      assertTrue(header.contains(key), "the key '" + key + "' comes from the header");
    }
    assertNull(policy.keyOf(requestWithCookie(null)), "no Cookie header, no key");
    if (!name.isEmpty() && name.indexOf('=') < 0 && name.indexOf(';') < 0) {
      // The named cookie first, then the fuzzed ones: its value is the key.
      String value = header.replace(";", "").strip();
      String cookies = name + "=" + value + "; " + header;
      assertEquals(value, policy.keyOf(requestWithCookie(cookies)), "cookie " + cookies);
    }
  }

  private static MeshRequest requestWithCookie(String cookie) {
    return new MeshRequest() {
      @Override
      public String method() {
        return "GET";
      }

      @Override
      public String path() {
        return "/";
      }

      @Override
      public String header(String name) {
        return "Cookie".equals(name) ? cookie : null;
      }
    };
  }
}

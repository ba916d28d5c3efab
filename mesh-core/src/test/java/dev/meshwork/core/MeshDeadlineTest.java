package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MeshDeadline#fromHeader}: what a caller sends is either a deadline or the documented
 * {@link IllegalArgumentException}, never an arithmetic failure a server would answer 500 for.
 */
class MeshDeadlineTest {
  private static final long YEAR_NANOS = Duration.ofDays(365).toNanos();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9223372036854775807",
        "9223372036854775808",
        "99999999999999999999999999",
        "9223372036855"
      })
  void aHugeValueIsClampedAndCallsStillRun(String header) throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.endpoints("10.0.0.1:80").retries(RetryPolicy.disabled()))
            .build()) {
      ScriptedExchange exchange = ScriptedExchange.always(200);
      try (MeshDeadline.Scope scope = MeshDeadline.fromHeader(header)) {
        long remaining = MeshDeadline.currentRemainingNanos();
        assertTrue(
            remaining > 50 * YEAR_NANOS && remaining < Long.MAX_VALUE, "remaining " + remaining);
        assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      }
      assertTrue(
          exchange.timeouts.get(0) > 50 * YEAR_NANOS, "attempt bound " + exchange.timeouts.get(0));
      assertEquals(Long.MAX_VALUE, MeshDeadline.currentRemainingNanos(), "the scope closed");
    }
  }

  @Test
  void aHugeDurationIsClampedToo() {
    ManualClock clock = new ManualClock();
    clock.advance(Duration.ofDays(1));
    try (MeshDeadline.Scope scope = MeshDeadline.enter(Duration.ofSeconds(Long.MAX_VALUE), clock)) {
      long remaining = MeshDeadline.currentRemainingNanos();
      assertTrue(
          remaining > 50 * YEAR_NANOS && remaining < Long.MAX_VALUE, "remaining " + remaining);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-1",
        "-9223372036854775808",
        "-99999999999999999999",
        "1.5",
        "soon",
        "0x10",
        "+5",
        "1e3",
        "12 ms"
      })
  void negativeAndNonNumericValuesAreRefusedNamingHeaderAndValue(String header) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MeshDeadline.fromHeader(header));
    assertEquals(
        "x-mesh-timeout-ms: '"
            + header
            + "' is invalid; expected the remaining time as whole milliseconds,"
            + " 0 or more",
        e.getMessage());
    assertEquals(Long.MAX_VALUE, MeshDeadline.currentRemainingNanos(), "nothing entered");
  }

  @Test
  void aLongRefusedValueIsShortenedInTheMessage() {
    String header = "x".repeat(10_000);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MeshDeadline.fromHeader(header));
    assertTrue(e.getMessage().length() < 300, e.getMessage());
    assertTrue(e.getMessage().startsWith("x-mesh-timeout-ms: 'xxxx"), e.getMessage());
  }

  @Test
  void edgeValuesInRange() {
    try (MeshDeadline.Scope scope = MeshDeadline.fromHeader("0")) {
      assertTrue(MeshDeadline.currentRemainingNanos() <= 0, "0 ms: already due");
    }
    try (MeshDeadline.Scope scope = MeshDeadline.fromHeader(" 250 ")) {
      long remaining = MeshDeadline.currentRemainingNanos();
      assertTrue(
          remaining > 0 && remaining <= Duration.ofMillis(250).toNanos(), "remaining " + remaining);
    }
    for (String absent : new String[] {null, "", "  "}) {
      try (MeshDeadline.Scope scope = MeshDeadline.fromHeader(absent)) {
        assertEquals(Long.MAX_VALUE, MeshDeadline.currentRemainingNanos());
      }
    }
  }
}

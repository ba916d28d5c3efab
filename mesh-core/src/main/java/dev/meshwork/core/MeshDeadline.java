package dev.meshwork.core;

import dev.meshwork.core.policy.Timeouts;
import java.time.Duration;

/**
 * The deadline of the work the current thread is doing for its own caller. A service that receives
 * a propagated deadline ({@value Timeouts#DEADLINE_HEADER}) enters it while handling the request;
 * every mesh call the thread makes meanwhile ends by that deadline, even when its service's own
 * timeout is longer. Synchronous calls on the entering thread see it; pass a per-call timeout
 * ({@link CallOptions}) to asynchronous ones.
 *
 * <pre>{@code
 * try (MeshDeadline.Scope scope = MeshDeadline.fromHeader(exchange.getRequestHeaders().getFirst("x-mesh-timeout-ms"))) {
 *   mathoid.render(formula).execute();   // bounded by what the caller has left
 * }
 * }</pre>
 */
public final class MeshDeadline {
  private static final ThreadLocal<MeshDeadline> CURRENT = new ThreadLocal<>();
  private static final Scope NO_SCOPE = () -> {};

  /**
   * The longest deadline kept (about 100 years): a longer one bounds nothing, and clamping keeps
   * all arithmetic on it in range.
   */
  private static final long MAX_REMAINING_NANOS = Duration.ofDays(36_500).toNanos();

  /** How much of a refused header value an exception quotes. */
  private static final int QUOTED_CHARS = 64;

  private final MeshClock clock;
  private final long deadlineNanos;

  private MeshDeadline(MeshClock clock, long deadlineNanos) {
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Bounds the current thread's mesh calls by {@code remaining} from now until the scope closes; a
   * {@code remaining} beyond about 100 years is clamped to that.
   */
  public static Scope enter(Duration remaining) {
    return enter(remaining, MeshClock.system());
  }

  /** {@link #enter(Duration)} on another clock, for tests. */
  public static Scope enter(Duration remaining, MeshClock clock) {
    if (remaining == null || remaining.isNegative()) {
      throw new IllegalArgumentException(
          "deadline remaining: " + remaining + " is invalid; expected zero or a positive duration");
    }
    MeshDeadline previous = CURRENT.get();
    long nanos =
        remaining.compareTo(Duration.ofNanos(MAX_REMAINING_NANOS)) > 0
            ? MAX_REMAINING_NANOS
            : remaining.toNanos();
    long deadline = saturatedAdd(clock.nanoTime(), nanos);
    if (previous != null && previous.remainingNanos() <= nanos) {
      return NO_SCOPE; // the enclosing deadline is already tighter
    }
    CURRENT.set(new MeshDeadline(clock, deadline));
    return () -> CURRENT.set(previous);
  }

  /**
   * Enters the deadline an upstream caller sent in {@value Timeouts#DEADLINE_HEADER}; a missing
   * header enters nothing. A value beyond about 100 years, however many digits, is clamped to that.
   *
   * @throws IllegalArgumentException naming the header and value when it is not whole milliseconds
   *     (digits only: no sign, fraction or unit)
   */
  public static Scope fromHeader(String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      return NO_SCOPE;
    }
    String digits = headerValue.trim();
    long millis = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        String quoted =
            headerValue.length() <= QUOTED_CHARS
                ? headerValue
                : headerValue.substring(0, QUOTED_CHARS) + "...";
        throw new IllegalArgumentException(
            Timeouts.DEADLINE_HEADER
                + ": '"
                + quoted
                + "' is invalid; expected the remaining time as whole milliseconds, 0 or more");
      }
      // Saturates instead of overflowing; enter() clamps far below Long.MAX_VALUE anyway.
      millis = millis > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : millis * 10 + (c - '0');
    }
    return enter(Duration.ofMillis(millis));
  }

  /** Nanoseconds the current thread has left, or {@link Long#MAX_VALUE} when it has no deadline. */
  public static long currentRemainingNanos() {
    MeshDeadline current = CURRENT.get();
    return current == null ? Long.MAX_VALUE : current.remainingNanos();
  }

  private long remainingNanos() {
    return deadlineNanos - clock.nanoTime();
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }

  /** Restores the deadline that was in force before {@code enter}. */
  @FunctionalInterface
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }
}

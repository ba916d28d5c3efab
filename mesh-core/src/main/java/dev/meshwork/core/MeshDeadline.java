package dev.meshwork.core;

import dev.meshwork.core.resilience.Timeouts;
import java.time.Duration;

/**
 * The deadline of the work the current thread is doing for its own caller. A service that
 * receives a propagated deadline ({@value Timeouts#DEADLINE_HEADER}) enters it while handling the
 * request; every mesh call the thread makes meanwhile ends by that deadline, even when its
 * service's own timeout is longer. Synchronous calls on the entering thread see it; pass a
 * per-call timeout ({@link dev.meshwork.core.transport.CallOptions}) to asynchronous ones.
 *
 * <pre>{@code
 * try (MeshDeadline.Scope scope = MeshDeadline.fromHeader(exchange.getRequestHeaders().getFirst("x-mesh-timeout-ms"))) {
 *   mathoid.render(formula).execute();   // bounded by what the caller has left
 * }
 * }</pre>
 */
public final class MeshDeadline {
  private static final ThreadLocal<MeshDeadline> CURRENT = new ThreadLocal<>();
  private static final Scope NO_SCOPE = () -> { };

  private final MeshClock clock;
  private final long deadlineNanos;

  private MeshDeadline(MeshClock clock, long deadlineNanos) {
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
  }

  /** Bounds the current thread's mesh calls by {@code remaining} from now until the scope closes. */
  public static Scope enter(Duration remaining) {
    return enter(remaining, MeshClock.system());
  }

  /** {@link #enter(Duration)} on another clock, for tests. */
  public static Scope enter(Duration remaining, MeshClock clock) {
    if (remaining == null || remaining.isNegative()) {
      throw new IllegalArgumentException("deadline remaining: " + remaining + " is invalid; expected zero or a positive duration");
    }
    MeshDeadline previous = CURRENT.get();
    long deadline = saturatedAdd(clock.nanoTime(), remaining.toNanos());
    if (previous != null && previous.remainingNanos() <= remaining.toNanos()) {
      return NO_SCOPE; // the enclosing deadline is already tighter
    }
    CURRENT.set(new MeshDeadline(clock, deadline));
    return () -> CURRENT.set(previous);
  }

  /**
   * Enters the deadline an upstream caller sent in {@value Timeouts#DEADLINE_HEADER}; a missing
   * header enters nothing.
   *
   * @throws IllegalArgumentException naming the header and value when it is not whole milliseconds
   */
  public static Scope fromHeader(String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      return NO_SCOPE;
    }
    long millis;
    try {
      millis = Long.parseLong(headerValue.trim());
    } catch (NumberFormatException e) {
      millis = -1;
    }
    if (millis < 0) {
      throw new IllegalArgumentException(Timeouts.DEADLINE_HEADER + ": '" + headerValue
          + "' is invalid; expected the remaining time as whole milliseconds, 0 or more");
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

package dev.meshwork.test;

import java.util.List;
import java.util.Objects;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on what the mesh decided for one call; a failure prints the call's whole trace.
 *
 * <pre>{@code
 * TestMesh mesh = TestMesh.create(1);
 * CallAssert.assertCall(mesh.lastCall())
 *     .tried("mathoid-2", "mathoid-1")
 *     .retriedBecause("status_503");
 * }</pre>
 */
public final class CallAssert {
  private final CallTrace call;

  private CallAssert(CallTrace call) {
    this.call = Objects.requireNonNull(call, "call");
  }

  /** Starts asserting on {@code call}. */
  public static CallAssert assertCall(CallTrace call) {
    return new CallAssert(call);
  }

  /** Its attempts went to exactly these endpoints, in this order (names, such as mathoid-2). */
  public CallAssert tried(String... endpoints) {
    return same("tried", List.of(endpoints), call.tried());
  }

  /** It made exactly {@code count} attempts. */
  public CallAssert attempts(int count) {
    return same("attempts", count, call.tried().size());
  }

  /** It was retried exactly for these reasons, in order ({@code status_503}, {@code reset}...). */
  public CallAssert retriedBecause(String... reasons) {
    return same("retried because", List.of(reasons), call.retries());
  }

  /** It was not retried. */
  public CallAssert notRetried() {
    return same("retried because", List.of(), call.retries());
  }

  /** The retry budget refused to retry it. */
  public CallAssert budgetRefused() {
    return same("budget refused a retry", true, call.budgetRefused());
  }

  /** An attempt was turned away for {@code reason} ({@code circuit_open}, ...). */
  public CallAssert rejectedBecause(String reason) {
    if (!call.rejections().contains(reason)) {
      throw failure("rejected because", reason, call.rejections());
    }
    return this;
  }

  /** It took the route named {@code route}. */
  public CallAssert route(String route) {
    return same("route", route, call.route().orElse(null));
  }

  /** Its route sent it to the subset {@code subset}. */
  public CallAssert routedTo(String subset) {
    return same("subset", subset, call.subset().orElse(null));
  }

  /** Its outcome ejected {@code endpoint}. */
  public CallAssert ejected(String endpoint) {
    if (!call.ejected().contains(endpoint)) {
      throw failure("ejected", endpoint, call.ejected());
    }
    return this;
  }

  private CallAssert same(String what, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      throw failure(what, expected, actual);
    }
    return this;
  }

  private AssertionFailedError failure(String what, Object expected, Object actual) {
    return new AssertionFailedError(
        "call "
            + call.number()
            + " to "
            + call.service()
            + ": expected "
            + what
            + " "
            + expected
            + " but was "
            + actual
            + "\n"
            + call,
        expected,
        actual);
  }
}

package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * When and how a failed attempt is retried. Defaults follow Envoy's router and Istio's retry
 * predicate: 2 attempts (one retry) on connect failure, refused stream, reset, per-try timeout and
 * 502/503/504; exponential back-off with full jitter from 25 ms, capped at 250 ms; a {@code
 * Retry-After} of up to 1 s is honoured (a longer one ends the retries and the response is
 * returned). A retry goes to an endpoint this call has not tried when one exists.
 *
 * <pre>{@code
 * RetryPolicy.builder().maxAttempts(3).retriableStatuses(503).build();
 * }</pre>
 */
public final class RetryPolicy {
  private static final RetryPolicy DEFAULTS = builder().build();
  private static final RetryPolicy NONE = builder().maxAttempts(1).build();

  private final int maxAttempts;
  private final Set<RetryOn> retryOn;
  private final Set<Integer> retriableStatuses;

  /** {@link #retriableStatuses} as bits, so the per-response check neither boxes nor hashes. */
  private final long[] statusBits;

  private final Duration backoffBase;
  private final Duration backoffMax;
  private final Duration maxRetryAfter;

  private RetryPolicy(Builder builder) {
    this.maxAttempts = builder.maxAttempts;
    this.retryOn = Set.copyOf(builder.retryOn);
    this.retriableStatuses = Set.copyOf(builder.retriableStatuses);
    this.statusBits = new long[10]; // statuses are validated to lie in 100..599
    for (int status : retriableStatuses) {
      statusBits[status >>> 6] |= 1L << status;
    }
    this.backoffBase = builder.backoffBase;
    this.backoffMax = builder.backoffMax;
    this.maxRetryAfter = builder.maxRetryAfter;
  }

  /** The defaults described above. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt, never retried. */
  public static RetryPolicy disabled() {
    return NONE;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Attempts per logical call, the first included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Set<RetryOn> retryOn() {
    return retryOn;
  }

  /** The statuses {@link RetryOn#RETRIABLE_STATUS} retries. */
  public Set<Integer> retriableStatuses() {
    return retriableStatuses;
  }

  /** Whether {@code status} is one of {@link #retriableStatuses()}. */
  public boolean listsStatus(int status) {
    return status >= 0 && status < 640 && (statusBits[status >>> 6] & (1L << status)) != 0;
  }

  public Duration backoffBase() {
    return backoffBase;
  }

  public Duration backoffMax() {
    return backoffMax;
  }

  /** The longest {@code Retry-After} the mesh waits for; a longer one ends the retries. */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * Equal when every setting is equal; the mesh keeps a policy's live state across a config swap
   * only then.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof RetryPolicy that
        && maxAttempts == that.maxAttempts
        && retryOn.equals(that.retryOn)
        && retriableStatuses.equals(that.retriableStatuses)
        && backoffBase.equals(that.backoffBase)
        && backoffMax.equals(that.backoffMax)
        && maxRetryAfter.equals(that.maxRetryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxAttempts, retryOn, retriableStatuses, backoffBase, backoffMax, maxRetryAfter);
  }

  @Override
  public String toString() {
    if (maxAttempts == 1) {
      return "RetryPolicy{disabled: one attempt}";
    }
    return "RetryPolicy{maxAttempts="
        + maxAttempts
        + ", retryOn="
        + new TreeSet<>(retryOn)
        + ", retriableStatuses="
        + new TreeSet<>(retriableStatuses)
        + ", backoff="
        + backoffBase.toMillis()
        + ".."
        + backoffMax.toMillis()
        + " ms full jitter, maxRetryAfter="
        + maxRetryAfter.toMillis()
        + " ms}";
  }

  /** Collects a retry policy; {@link #build()} validates it. */
  public static final class Builder {
    private int maxAttempts = 2;
    private Set<RetryOn> retryOn = EnumSet.allOf(RetryOn.class);
    private Set<Integer> retriableStatuses = Set.of(502, 503, 504);
    private Duration backoffBase = Duration.ofMillis(25);
    private Duration backoffMax = Duration.ofMillis(250);
    private Duration maxRetryAfter = Duration.ofSeconds(1);

    private Builder() {}

    /** Attempts per call including the first; 1 disables retries. Default 2. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** The failures to retry; default all of {@link RetryOn}. */
    public Builder retryOn(RetryOn first, RetryOn... more) {
      this.retryOn = EnumSet.of(first, more);
      return this;
    }

    /** The statuses retried under {@link RetryOn#RETRIABLE_STATUS}; default 502, 503, 504. */
    public Builder retriableStatuses(int... statuses) {
      Set<Integer> set = new TreeSet<>();
      for (int status : statuses) {
        set.add(status);
      }
      this.retriableStatuses = set;
      return this;
    }

    /** Back-off before retry n is a random wait up to {@code min(max, base * 2^(n-1))}. */
    public Builder backoff(Duration base, Duration max) {
      this.backoffBase = base;
      this.backoffMax = max;
      return this;
    }

    /** The longest {@code Retry-After} honoured; default 1 s. */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * @throws MeshConfigException naming the field that is wrong
     */
    public RetryPolicy build() {
      Validate.atLeast("retry maxAttempts", maxAttempts, 1);
      for (int status : retriableStatuses) {
        if (status < 100 || status > 599) {
          throw new MeshConfigException(
              "retry retriableStatuses", status, "an HTTP status code from 100 to 599");
        }
      }
      Validate.positive("retry backoff base", backoffBase);
      Validate.positive("retry backoff max", backoffMax);
      if (backoffMax.compareTo(backoffBase) < 0) {
        throw new MeshConfigException(
            "retry backoff max", backoffMax, "at least the base " + backoffBase);
      }
      if (maxRetryAfter == null || maxRetryAfter.isNegative()) {
        throw new MeshConfigException(
            "retry maxRetryAfter", maxRetryAfter, "zero or a positive duration");
      }
      return new RetryPolicy(this);
    }
  }

  /**
   * The failures a retry policy may retry. Whatever is listed, a call that may already have reached
   * a server ({@link #RESET}, {@link #TIMEOUT}, {@link #RETRIABLE_STATUS}) is retried only when it
   * is idempotent.
   */
  public enum RetryOn {
    /**
     * Connection refused, unreachable, connect timeout, TLS handshake failure: nothing was sent.
     */
    CONNECT_FAILURE,
    /** An HTTP/2 stream refused by the server before processing (REFUSED_STREAM). */
    REFUSED_STREAM,
    /** The connection broke after the request may have been written. */
    RESET,
    /** The per-try timeout passed while the call's deadline still leaves time for another try. */
    TIMEOUT,
    /**
     * A response whose status is one of the policy's retriable status codes (502, 503, 504 by
     * default).
     */
    RETRIABLE_STATUS
  }
}

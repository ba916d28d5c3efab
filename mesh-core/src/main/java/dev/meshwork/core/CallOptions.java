package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * Per-call overrides of a service's policy, for example from annotations on a Retrofit method or a
 * tag on an OkHttp request. Every field is optional: {@code null} keeps the service's setting.
 *
 * <pre>{@code
 * CallOptions render = CallOptions.builder().timeout(Duration.ofMillis(800)).idempotent(true).build();
 * Request request = new Request.Builder().url("http://mathoid/render").tag(CallOptions.class, render).build();
 * }</pre>
 *
 * @param timeout the call's overall deadline, or {@code null}
 * @param perTryTimeout the bound of each attempt, or {@code null}
 * @param maxAttempts attempts including the first (1 disables retries), or {@code null}
 * @param retryOn the failures to retry on, or {@code null}
 * @param idempotent whether the call may be retried after it may have reached the server, or {@code
 *     null} to decide by its HTTP method
 * @param hedgeDelay send a backup attempt when the first has not answered after this long, or
 *     {@code null} for the service's setting; {@link Duration#ZERO} turns hedging off for the call
 */
public record CallOptions(
    Duration timeout,
    Duration perTryTimeout,
    Integer maxAttempts,
    Set<RetryOn> retryOn,
    Boolean idempotent,
    Duration hedgeDelay) {

  /** No override. */
  public static final CallOptions NONE = new CallOptions(null, null, null, null, null, null);

  public CallOptions {
    if (timeout != null) {
      Validate.positive("timeout", timeout);
    }
    if (perTryTimeout != null) {
      Validate.positive("perTryTimeout", perTryTimeout);
    }
    if (maxAttempts != null) {
      Validate.atLeast("maxAttempts", maxAttempts, 1);
    }
    if (hedgeDelay != null && hedgeDelay.isNegative()) {
      throw new MeshConfigException(
          "hedgeDelay", hedgeDelay, "zero (no hedging) or a positive duration");
    }
    retryOn =
        retryOn == null
            ? null
            : Set.copyOf(
                retryOn.isEmpty() ? EnumSet.noneOf(RetryOn.class) : EnumSet.copyOf(retryOn));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects overrides; the record's constructor validates them. */
  public static final class Builder {
    private Duration timeout;
    private Duration perTryTimeout;
    private Integer maxAttempts;
    private Set<RetryOn> retryOn;
    private Boolean idempotent;
    private Duration hedgeDelay;

    private Builder() {}

    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    public Builder perTryTimeout(Duration perTryTimeout) {
      this.perTryTimeout = perTryTimeout;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder retryOn(Set<RetryOn> retryOn) {
      this.retryOn = retryOn;
      return this;
    }

    public Builder idempotent(boolean idempotent) {
      this.idempotent = idempotent;
      return this;
    }

    /**
     * Hedge idempotent calls after {@code delay}; {@link Duration#ZERO} disables hedging for the
     * call.
     */
    public Builder hedgeDelay(Duration delay) {
      this.hedgeDelay = delay;
      return this;
    }

    public CallOptions build() {
      return new CallOptions(timeout, perTryTimeout, maxAttempts, retryOn, idempotent, hedgeDelay);
    }
  }
}

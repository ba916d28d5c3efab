package dev.meshwork.core;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import dev.meshwork.core.policy.RetryPolicy.RetryOn;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Per-call overrides of a service's policy, for example from annotations on a Retrofit method or a
 * tag on an OkHttp request. Every field is optional: an empty one keeps the service's setting.
 *
 * <pre>{@code
 * CallOptions render = CallOptions.builder().timeout(Duration.ofMillis(800)).idempotent(true).build();
 * Request request = new Request.Builder().url("http://mathoid/render").tag(CallOptions.class, render).build();
 * }</pre>
 *
 * @param timeout the call's overall deadline
 * @param perTryTimeout the bound of each attempt
 * @param maxAttempts attempts including the first (1 disables retries)
 * @param retryOn the failures to retry on
 * @param idempotent whether the call may be retried after it may have reached the server; empty to
 *     decide by its HTTP method
 * @param hedgeDelay send a backup attempt when the first has not answered after this long; {@link
 *     Duration#ZERO} turns hedging off for the call
 */
public record CallOptions(
    Optional<Duration> timeout,
    Optional<Duration> perTryTimeout,
    OptionalInt maxAttempts,
    Optional<Set<RetryOn>> retryOn,
    Optional<Boolean> idempotent,
    Optional<Duration> hedgeDelay) {

  /** No override. */
  public static final CallOptions NONE =
      new CallOptions(
          Optional.empty(),
          Optional.empty(),
          OptionalInt.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  /**
   * @throws MeshConfigException naming the option that is out of range
   */
  public CallOptions {
    Objects.requireNonNull(timeout, "timeout (Optional.empty() keeps the service's)");
    Objects.requireNonNull(perTryTimeout, "perTryTimeout (Optional.empty() keeps the service's)");
    Objects.requireNonNull(maxAttempts, "maxAttempts (OptionalInt.empty() keeps the service's)");
    Objects.requireNonNull(retryOn, "retryOn (Optional.empty() keeps the service's)");
    Objects.requireNonNull(idempotent, "idempotent (Optional.empty() decides by the method)");
    Objects.requireNonNull(hedgeDelay, "hedgeDelay (Optional.empty() keeps the service's)");
    timeout.ifPresent(value -> Validate.positive("timeout", value));
    perTryTimeout.ifPresent(value -> Validate.positive("perTryTimeout", value));
    maxAttempts.ifPresent(value -> Validate.atLeast("maxAttempts", value, 1));
    if (hedgeDelay.isPresent() && hedgeDelay.get().isNegative()) {
      throw new MeshConfigException(
          "hedgeDelay", hedgeDelay.get(), "zero (no hedging) or a positive duration");
    }
    retryOn =
        retryOn.map(
            set -> Set.copyOf(set.isEmpty() ? EnumSet.noneOf(RetryOn.class) : EnumSet.copyOf(set)));
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
      return new CallOptions(
          Optional.ofNullable(timeout),
          Optional.ofNullable(perTryTimeout),
          maxAttempts == null ? OptionalInt.empty() : OptionalInt.of(maxAttempts),
          Optional.ofNullable(retryOn),
          Optional.ofNullable(idempotent),
          Optional.ofNullable(hedgeDelay));
    }
  }
}

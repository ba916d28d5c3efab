package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;

/**
 * How many retries a service may make relative to its traffic, so that retries cannot turn a
 * partial outage into a storm. Finagle's budget: in any sliding {@code window}, retries (and hedged
 * backups) may number at most {@code ratio} times the calls made in that window plus a reserve of
 * {@code minRetriesPerSecond} x {@code window} seconds, which a quiet service (or a burst) may
 * spend at once. Default: ratio 0.2, 10 retries per second, 10 s window, so in any 10 s at most 20%
 * of the calls plus 100: 500 failing calls within 10 s get at most 200 retries. A retry the budget
 * refuses returns the answer it would have replaced (a 503, say); a failure without an answer fails
 * the call with {@link dev.meshwork.core.exception.MeshException.RetryBudgetExhausted}.
 */
public final class RetryBudget {
  private static final RetryBudget DEFAULTS = builder().build();

  private final double ratio;
  private final int minRetriesPerSecond;
  private final Duration window;
  private final boolean unlimited;

  private RetryBudget(double ratio, int minRetriesPerSecond, Duration window, boolean unlimited) {
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.window = window;
    this.unlimited = unlimited;
  }

  public static RetryBudget defaults() {
    return DEFAULTS;
  }

  /** No budget: every retry the policy allows is made. Use only where amplification is harmless. */
  public static RetryBudget disabled() {
    return new RetryBudget(1, 0, Duration.ofSeconds(10), true);
  }

  public static Builder builder() {
    return new Builder();
  }

  public double ratio() {
    return ratio;
  }

  public int minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  public Duration window() {
    return window;
  }

  /** False for {@link #disabled()}: no bound on retries. */
  public boolean enabled() {
    return !unlimited;
  }

  /**
   * The retries any window allows whatever the traffic: {@code minRetriesPerSecond} x the window's
   * seconds.
   */
  public long reserve() {
    return (long) minRetriesPerSecond * window.toSeconds();
  }

  /** The bound in the words of the class description, for the effective configuration. */
  /**
   * Equal when every setting is equal; the mesh keeps a policy's live state across a config swap
   * only then.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof RetryBudget that
        && ratio == that.ratio
        && minRetriesPerSecond == that.minRetriesPerSecond
        && window.equals(that.window)
        && unlimited == that.unlimited;
  }

  @Override
  public int hashCode() {
    return Objects.hash(ratio, minRetriesPerSecond, window, unlimited);
  }

  @Override
  public String toString() {
    return unlimited
        ? "RetryBudget{disabled}"
        : "RetryBudget{ratio="
            + ratio
            + ", minRetriesPerSecond="
            + minRetriesPerSecond
            + ", window="
            + window.toSeconds()
            + " s: retries in any "
            + window.toSeconds()
            + " s <= "
            + ratio
            + " x calls in it + reserve "
            + reserve()
            + "}";
  }

  /** Collects a budget; {@link #build()} validates it. */
  public static final class Builder {
    private double ratio = 0.2;
    private int minRetriesPerSecond = 10;
    private Duration window = Duration.ofSeconds(10);

    private Builder() {}

    /** Retries allowed per call made, from 0.0 to 1.0; default 0.2. */
    public Builder ratio(double ratio) {
      this.ratio = ratio;
      return this;
    }

    /**
     * Sets the reserve, this times the window's seconds: retries any window allows whatever the
     * traffic; default 10.
     */
    public Builder minRetriesPerSecond(int minRetriesPerSecond) {
      this.minRetriesPerSecond = minRetriesPerSecond;
      return this;
    }

    /**
     * The window calls and retries are counted over, whole seconds from 1 s to 60 s; default 10 s.
     */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    public RetryBudget build() {
      Validate.ratio("retryBudget ratio", ratio);
      Validate.atLeast("retryBudget minRetriesPerSecond", minRetriesPerSecond, 0);
      Validate.positive("retryBudget window", window);
      if (window.toSeconds() < 1 || window.toSeconds() > 60 || window.toNanosPart() != 0) {
        throw new MeshConfigException(
            "retryBudget window", window, "whole seconds from 1 s to 60 s");
      }
      return new RetryBudget(ratio, minRetriesPerSecond, window, false);
    }
  }
}

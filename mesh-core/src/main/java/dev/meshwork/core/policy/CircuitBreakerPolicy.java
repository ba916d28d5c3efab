package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;

/**
 * The service-level circuit breaker (resilience4j underneath). It judges attempts: a 5xx response
 * or an I/O failure counts as a failure. When at least {@code minimumCalls} attempts in the last
 * {@code window} failed at {@code failureRateThreshold} percent or more, it opens and refuses calls
 * with {@link dev.meshwork.core.exception.MeshException.CircuitOpen}; after {@code openDuration} it
 * lets {@code halfOpenProbes} probe calls through, and closes if they do well enough.
 *
 * <p>Defaults: 50% over a 10 s window, at least 20 calls, open for 10 s, 3 probes.
 */
public final class CircuitBreakerPolicy {
  private static final CircuitBreakerPolicy DEFAULTS = builder().build();
  private static final CircuitBreakerPolicy DISABLED = new CircuitBreakerPolicy(builder(), false);

  private final boolean enabled;
  private final double failureRateThreshold;
  private final Duration window;
  private final int minimumCalls;
  private final Duration openDuration;
  private final int halfOpenProbes;

  private CircuitBreakerPolicy(Builder builder, boolean enabled) {
    this.enabled = enabled;
    this.failureRateThreshold = builder.failureRateThreshold;
    this.window = builder.window;
    this.minimumCalls = builder.minimumCalls;
    this.openDuration = builder.openDuration;
    this.halfOpenProbes = builder.halfOpenProbes;
  }

  public static CircuitBreakerPolicy defaults() {
    return DEFAULTS;
  }

  /** No service-level breaker; outlier detection still ejects single bad endpoints. */
  public static CircuitBreakerPolicy disabled() {
    return DISABLED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean enabled() {
    return enabled;
  }

  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  public Duration window() {
    return window;
  }

  public int minimumCalls() {
    return minimumCalls;
  }

  public Duration openDuration() {
    return openDuration;
  }

  public int halfOpenProbes() {
    return halfOpenProbes;
  }

  /**
   * Equal when every setting is equal; the mesh keeps a policy's live state across a config swap
   * only then.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof CircuitBreakerPolicy that
        && enabled == that.enabled
        && failureRateThreshold == that.failureRateThreshold
        && window.equals(that.window)
        && minimumCalls == that.minimumCalls
        && openDuration.equals(that.openDuration)
        && halfOpenProbes == that.halfOpenProbes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled, failureRateThreshold, window, minimumCalls, openDuration, halfOpenProbes);
  }

  @Override
  public String toString() {
    return !enabled
        ? "CircuitBreaker{disabled}"
        : "CircuitBreaker{failureRate>="
            + failureRateThreshold
            + "% over "
            + window.toSeconds()
            + " s, minimumCalls="
            + minimumCalls
            + ", open "
            + openDuration.toMillis()
            + " ms, halfOpenProbes="
            + halfOpenProbes
            + "}";
  }

  /** Collects a breaker policy; {@link #build()} validates it. */
  public static final class Builder {
    private double failureRateThreshold = 50;
    private Duration window = Duration.ofSeconds(10);
    private int minimumCalls = 20;
    private Duration openDuration = Duration.ofSeconds(10);
    private int halfOpenProbes = 3;

    private Builder() {}

    /** The failure percentage (0 to 100) at which the breaker opens; default 50. */
    public Builder failureRateThreshold(double percent) {
      this.failureRateThreshold = percent;
      return this;
    }

    /** The sliding window, whole seconds; default 10 s. */
    public Builder window(Duration window) {
      this.window = window;
      return this;
    }

    /** Attempts the window must hold before the breaker judges; default 20. */
    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    /** How long the breaker stays open before probing; default 10 s. */
    public Builder openDuration(Duration openDuration) {
      this.openDuration = openDuration;
      return this;
    }

    /** Calls let through while half-open; default 3. */
    public Builder halfOpenProbes(int probes) {
      this.halfOpenProbes = probes;
      return this;
    }

    public CircuitBreakerPolicy build() {
      Validate.percent("circuitBreaker failureRateThreshold", failureRateThreshold);
      if (failureRateThreshold == 0) {
        throw new MeshConfigException(
            "circuitBreaker failureRateThreshold",
            failureRateThreshold,
            "a percentage above 0 (use CircuitBreakerPolicy.disabled() to turn the breaker off)");
      }
      Validate.positive("circuitBreaker window", window);
      if (window.toSeconds() < 1) {
        throw new MeshConfigException("circuitBreaker window", window, "at least 1 s");
      }
      Validate.atLeast("circuitBreaker minimumCalls", minimumCalls, 1);
      Validate.positive("circuitBreaker openDuration", openDuration);
      Validate.atLeast("circuitBreaker halfOpenProbes", halfOpenProbes, 1);
      return new CircuitBreakerPolicy(this, true);
    }
  }
}

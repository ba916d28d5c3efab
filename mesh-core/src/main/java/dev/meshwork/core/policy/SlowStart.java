package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import dev.meshwork.core.spi.LoadBalancer;
import java.time.Duration;
import java.util.Objects;

/**
 * Ramps a new endpoint's share of calls up over a window instead of giving it its full share at
 * once, so a cold instance (empty caches, JIT not warm) is not flooded (Envoy's {@code
 * slow_start_config}, Armeria's ramping-up). During the window the endpoint's weight is scaled by
 *
 * <pre>   max(minWeightPercent / 100, (elapsed / window) ^ (1 / aggression))</pre>
 *
 * <p>When an endpoint ramps: when it joins a service that already has endpoints, and when it
 * returns from an outlier ejection or from failing health checks (it may have restarted). Not when
 * it arrives in an empty set, such as the first answer of discovery at mesh start: when all
 * endpoints are new, ramping them alike changes nobody's share and would only throttle a warm fleet
 * after the caller restarts.
 *
 * <p>Applies to round robin, weighted round robin, random, least request and peak-EWMA (an endpoint
 * drawn by the balancer is kept with probability equal to its factor, else the balancer draws
 * again); balancers that keep keys on their endpoints ({@link LoadBalancer#keepsKeysOnEndpoints()}:
 * ring hash, Maglev) ignore it. Default {@link #disabled()}. Defaults once on: aggression 1.0
 * (linear), minimum weight 10%.
 *
 * <pre>{@code
 * SlowStart linear = SlowStart.of(Duration.ofSeconds(60));
 * SlowStart gentle = SlowStart.builder(Duration.ofSeconds(60)).aggression(2).minWeightPercent(5).build();
 * Mesh.builder().service("mathoid", s -> s.endpoints("10.64.0.11:10044").slowStart(gentle));
 * }</pre>
 */
public final class SlowStart {
  private static final SlowStart DISABLED = new SlowStart();

  private final boolean enabled;
  private final Duration window;
  private final long windowNanos;
  private final double aggression;
  private final double minWeightPercent;

  private SlowStart() {
    this.enabled = false;
    this.window = Duration.ZERO;
    this.windowNanos = 0;
    this.aggression = 1.0;
    this.minWeightPercent = 100;
  }

  private SlowStart(Builder builder) {
    this.enabled = true;
    this.window = builder.window;
    this.windowNanos = builder.window.toNanos();
    this.aggression = builder.aggression;
    this.minWeightPercent = builder.minWeightPercent;
  }

  /** A linear ramp over {@code window} from 10% of the weight. */
  public static SlowStart of(Duration window) {
    return builder(window).build();
  }

  /** No ramp: a new endpoint takes its full share at once. The default. */
  public static SlowStart disabled() {
    return DISABLED;
  }

  /** Starts a ramp over {@code window}; checked in {@link Builder#build()}. */
  public static Builder builder(Duration window) {
    return new Builder(window);
  }

  /** False for {@link #disabled()}. */
  public boolean enabled() {
    return enabled;
  }

  /** The ramp's length; zero when {@linkplain #disabled() disabled}. */
  public Duration window() {
    return window;
  }

  /** Above 1 ramps faster early on, below 1 slower; 1 is linear. */
  public double aggression() {
    return aggression;
  }

  /** The smallest share of its weight a ramping endpoint gets, in percent. */
  public double minWeightPercent() {
    return minWeightPercent;
  }

  /** The factor on an endpoint's weight {@code elapsedNanos} after it began to ramp, in (0, 1]. */
  public double factorAt(long elapsedNanos) {
    if (elapsedNanos >= windowNanos) {
      return 1.0;
    }
    double time = Math.max(0, elapsedNanos) / (double) windowNanos;
    double ramp = aggression == 1.0 ? time : Math.pow(time, 1.0 / aggression);
    return Math.max(minWeightPercent / 100.0, ramp);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SlowStart that
        && enabled == that.enabled
        && window.equals(that.window)
        && aggression == that.aggression
        && minWeightPercent == that.minWeightPercent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(enabled, window, aggression, minWeightPercent);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "SlowStart{disabled}";
    }
    return "SlowStart{window "
        + window.toMillis()
        + " ms, aggression "
        + aggression
        + ", min weight "
        + minWeightPercent
        + "%}";
  }

  /** Collects a slow-start ramp; {@link #build()} validates it. */
  public static final class Builder {
    private final Duration window;
    private double aggression = 1.0;
    private double minWeightPercent = 10;

    private Builder(Duration window) {
      this.window = window;
    }

    /** How the ramp bends; default 1.0 (linear). */
    public Builder aggression(double aggression) {
      this.aggression = aggression;
      return this;
    }

    /** The floor of the ramp in percent of the weight; default 10. */
    public Builder minWeightPercent(double percent) {
      this.minWeightPercent = percent;
      return this;
    }

    /**
     * @throws MeshConfigException naming the field when a value is out of range
     */
    public SlowStart build() {
      Validate.positive("slowStart window", window);
      Validate.positive("slowStart aggression", aggression);
      if (!(minWeightPercent > 0 && minWeightPercent <= 100)) {
        throw new MeshConfigException(
            "slowStart minWeightPercent",
            minWeightPercent,
            "a percentage above 0 and at most 100, such as 10");
      }
      return new SlowStart(this);
    }
  }
}

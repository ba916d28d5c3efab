package dev.meshwork.core.policy;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.internal.Validate;
import java.time.Duration;
import java.util.Objects;

/**
 * Passive health checking of single endpoints, with Envoy's semantics. An endpoint is ejected
 * (taken out of balancing) after {@code consecutive5xx} 5xx answers or I/O failures in a row, or
 * after {@code consecutiveGatewayFailures} gateway failures (connect errors, resets, timeouts,
 * 502/503/504) in a row; at each {@code interval} it may also be ejected for a success rate far
 * below its peers' or a failure percentage above a threshold. An ejection lasts {@code
 * baseEjectionTime} times the number of times the endpoint has been ejected, capped at {@code
 * maxEjectionTime}; each interval it stays healthy lowers that multiplier by one. At most {@code
 * maxEjectionPercent} of endpoints are ejected at once, but always at least one may be; an endpoint
 * the cap keeps in balancing is ejected once an ejection ends or the endpoints change, and is
 * logged once, then at most once per interval. When fewer than {@code panicThresholdPercent} of
 * endpoints are healthy, the balancer ignores ejections and uses them all (panic mode), as Envoy
 * does.
 *
 * <p>Defaults: 5 consecutive 5xx, 5 consecutive gateway failures, interval 10 s, ejection 30 s
 * capped at 300 s, at most 10% ejected, success-rate ejection on (at least 5 endpoints with 100
 * requests each in the interval, stdev factor 1.9), failure-percentage ejection off (85% when
 * enabled, 5 endpoints, 50 requests), panic below 50% healthy.
 */
public final class OutlierDetection {
  private static final OutlierDetection DEFAULTS = builder().build();
  private static final OutlierDetection DISABLED = new OutlierDetection(builder(), false);

  private final boolean enabled;
  private final int consecutive5xx;
  private final int consecutiveGatewayFailures;
  private final Duration interval;
  private final Duration baseEjectionTime;
  private final Duration maxEjectionTime;
  private final double maxEjectionPercent;
  private final boolean successRateEnabled;
  private final int successRateMinimumHosts;
  private final int successRateRequestVolume;
  private final double successRateStdevFactor;
  private final boolean failurePercentageEnabled;
  private final double failurePercentageThreshold;
  private final int failurePercentageMinimumHosts;
  private final int failurePercentageRequestVolume;
  private final double panicThresholdPercent;

  private OutlierDetection(Builder b, boolean enabled) {
    this.enabled = enabled;
    this.consecutive5xx = b.consecutive5xx;
    this.consecutiveGatewayFailures = b.consecutiveGatewayFailures;
    this.interval = b.interval;
    this.baseEjectionTime = b.baseEjectionTime;
    this.maxEjectionTime = b.maxEjectionTime;
    this.maxEjectionPercent = b.maxEjectionPercent;
    this.successRateEnabled = b.successRateEnabled;
    this.successRateMinimumHosts = b.successRateMinimumHosts;
    this.successRateRequestVolume = b.successRateRequestVolume;
    this.successRateStdevFactor = b.successRateStdevFactor;
    this.failurePercentageEnabled = b.failurePercentageEnabled;
    this.failurePercentageThreshold = b.failurePercentageThreshold;
    this.failurePercentageMinimumHosts = b.failurePercentageMinimumHosts;
    this.failurePercentageRequestVolume = b.failurePercentageRequestVolume;
    this.panicThresholdPercent = b.panicThresholdPercent;
  }

  public static OutlierDetection defaults() {
    return DEFAULTS;
  }

  /** No ejection: every endpoint discovery lists takes traffic. */
  public static OutlierDetection disabled() {
    return DISABLED;
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean enabled() {
    return enabled;
  }

  public int consecutive5xx() {
    return consecutive5xx;
  }

  public int consecutiveGatewayFailures() {
    return consecutiveGatewayFailures;
  }

  public Duration interval() {
    return interval;
  }

  public Duration baseEjectionTime() {
    return baseEjectionTime;
  }

  public Duration maxEjectionTime() {
    return maxEjectionTime;
  }

  public double maxEjectionPercent() {
    return maxEjectionPercent;
  }

  public boolean successRateEnabled() {
    return successRateEnabled;
  }

  public int successRateMinimumHosts() {
    return successRateMinimumHosts;
  }

  public int successRateRequestVolume() {
    return successRateRequestVolume;
  }

  public double successRateStdevFactor() {
    return successRateStdevFactor;
  }

  public boolean failurePercentageEnabled() {
    return failurePercentageEnabled;
  }

  public double failurePercentageThreshold() {
    return failurePercentageThreshold;
  }

  public int failurePercentageMinimumHosts() {
    return failurePercentageMinimumHosts;
  }

  public int failurePercentageRequestVolume() {
    return failurePercentageRequestVolume;
  }

  public double panicThresholdPercent() {
    return panicThresholdPercent;
  }

  /**
   * Equal when every setting is equal; the mesh keeps a policy's live state across a config swap
   * only then.
   */
  @Override
  public boolean equals(Object other) {
    return other instanceof OutlierDetection that
        && enabled == that.enabled
        && consecutive5xx == that.consecutive5xx
        && consecutiveGatewayFailures == that.consecutiveGatewayFailures
        && interval.equals(that.interval)
        && baseEjectionTime.equals(that.baseEjectionTime)
        && maxEjectionTime.equals(that.maxEjectionTime)
        && maxEjectionPercent == that.maxEjectionPercent
        && successRateEnabled == that.successRateEnabled
        && successRateMinimumHosts == that.successRateMinimumHosts
        && successRateRequestVolume == that.successRateRequestVolume
        && successRateStdevFactor == that.successRateStdevFactor
        && failurePercentageEnabled == that.failurePercentageEnabled
        && failurePercentageThreshold == that.failurePercentageThreshold
        && failurePercentageMinimumHosts == that.failurePercentageMinimumHosts
        && failurePercentageRequestVolume == that.failurePercentageRequestVolume
        && panicThresholdPercent == that.panicThresholdPercent;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        enabled,
        consecutive5xx,
        consecutiveGatewayFailures,
        interval,
        baseEjectionTime,
        maxEjectionTime,
        maxEjectionPercent,
        successRateEnabled,
        successRateMinimumHosts,
        successRateRequestVolume,
        successRateStdevFactor,
        failurePercentageEnabled,
        failurePercentageThreshold,
        failurePercentageMinimumHosts,
        failurePercentageRequestVolume,
        panicThresholdPercent);
  }

  @Override
  public String toString() {
    if (!enabled) {
      return "OutlierDetection{disabled}";
    }
    return "OutlierDetection{consecutive5xx="
        + consecutive5xx
        + ", consecutiveGatewayFailures="
        + consecutiveGatewayFailures
        + ", interval="
        + interval.toMillis()
        + " ms, ejection="
        + baseEjectionTime.toMillis()
        + " ms x ejections, max "
        + maxEjectionTime.toMillis()
        + " ms, maxEjectionPercent="
        + maxEjectionPercent
        + ", successRate="
        + (successRateEnabled
            ? "min "
                + successRateMinimumHosts
                + " hosts/"
                + successRateRequestVolume
                + " requests, stdev x"
                + successRateStdevFactor
            : "off")
        + ", failurePercentage="
        + (failurePercentageEnabled
            ? failurePercentageThreshold
                + "% (min "
                + failurePercentageMinimumHosts
                + " hosts/"
                + failurePercentageRequestVolume
                + " requests)"
            : "off")
        + ", panicThreshold="
        + panicThresholdPercent
        + "%}";
  }

  /** Collects an outlier-detection policy; {@link #build()} validates it. */
  public static final class Builder {
    private int consecutive5xx = 5;
    private int consecutiveGatewayFailures = 5;
    private Duration interval = Duration.ofSeconds(10);
    private Duration baseEjectionTime = Duration.ofSeconds(30);
    private Duration maxEjectionTime = Duration.ofSeconds(300);
    private double maxEjectionPercent = 10;
    private boolean successRateEnabled = true;
    private int successRateMinimumHosts = 5;
    private int successRateRequestVolume = 100;
    private double successRateStdevFactor = 1.9;
    private boolean failurePercentageEnabled;
    private double failurePercentageThreshold = 85;
    private int failurePercentageMinimumHosts = 5;
    private int failurePercentageRequestVolume = 50;
    private double panicThresholdPercent = 50;

    private Builder() {}

    public Builder consecutive5xx(int count) {
      this.consecutive5xx = count;
      return this;
    }

    public Builder consecutiveGatewayFailures(int count) {
      this.consecutiveGatewayFailures = count;
      return this;
    }

    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    public Builder baseEjectionTime(Duration time) {
      this.baseEjectionTime = time;
      return this;
    }

    public Builder maxEjectionTime(Duration time) {
      this.maxEjectionTime = time;
      return this;
    }

    public Builder maxEjectionPercent(double percent) {
      this.maxEjectionPercent = percent;
      return this;
    }

    /**
     * Success-rate ejection: off, or on with its minimum hosts, request volume and stdev factor.
     */
    public Builder successRate(
        boolean enabled, int minimumHosts, int requestVolume, double stdevFactor) {
      this.successRateEnabled = enabled;
      this.successRateMinimumHosts = minimumHosts;
      this.successRateRequestVolume = requestVolume;
      this.successRateStdevFactor = stdevFactor;
      return this;
    }

    /**
     * Failure-percentage ejection: off, or on with its threshold, minimum hosts and request volume.
     */
    public Builder failurePercentage(
        boolean enabled, double thresholdPercent, int minimumHosts, int requestVolume) {
      this.failurePercentageEnabled = enabled;
      this.failurePercentageThreshold = thresholdPercent;
      this.failurePercentageMinimumHosts = minimumHosts;
      this.failurePercentageRequestVolume = requestVolume;
      return this;
    }

    public Builder panicThresholdPercent(double percent) {
      this.panicThresholdPercent = percent;
      return this;
    }

    public OutlierDetection build() {
      Validate.atLeast("outlierDetection consecutive5xx", consecutive5xx, 1);
      Validate.atLeast(
          "outlierDetection consecutiveGatewayFailures", consecutiveGatewayFailures, 1);
      Validate.positive("outlierDetection interval", interval);
      Validate.positive("outlierDetection baseEjectionTime", baseEjectionTime);
      Validate.positive("outlierDetection maxEjectionTime", maxEjectionTime);
      if (maxEjectionTime.compareTo(baseEjectionTime) < 0) {
        throw new MeshConfigException(
            "outlierDetection maxEjectionTime",
            maxEjectionTime,
            "at least the baseEjectionTime " + baseEjectionTime);
      }
      Validate.percent("outlierDetection maxEjectionPercent", maxEjectionPercent);
      Validate.atLeast("outlierDetection successRate minimumHosts", successRateMinimumHosts, 1);
      Validate.atLeast("outlierDetection successRate requestVolume", successRateRequestVolume, 1);
      Validate.positive("outlierDetection successRate stdevFactor", successRateStdevFactor);
      Validate.percent("outlierDetection failurePercentage threshold", failurePercentageThreshold);
      Validate.atLeast(
          "outlierDetection failurePercentage minimumHosts", failurePercentageMinimumHosts, 1);
      Validate.atLeast(
          "outlierDetection failurePercentage requestVolume", failurePercentageRequestVolume, 1);
      Validate.percent("outlierDetection panicThresholdPercent", panicThresholdPercent);
      return new OutlierDetection(this, true);
    }
  }
}

package dev.meshwork.xds.internal;

import com.google.protobuf.UInt32Value;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.OutlierDetection;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Optional;

/**
 * A cluster's outlier_detection in the core's terms. Envoy turns each kind of ejection on or off
 * with its {@code enforcing_*} percentage; Meshwork enforces at 0% (off) or 100%, so values in
 * between are reported. A cluster without outlier_detection has none, as in Envoy.
 */
final class OutlierDecoder {
  /** Ejection thresholds that no real traffic reaches: how an off kind of ejection is set. */
  private static final int NEVER = Integer.MAX_VALUE;

  private OutlierDecoder() {}

  static OutlierDetection decode(
      Cluster cluster, Fields fields, Optional<Double> panicThreshold, String at) {
    if (!cluster.hasOutlierDetection()) {
      return OutlierDetection.disabled();
    }
    io.envoyproxy.envoy.config.cluster.v3.OutlierDetection od = cluster.getOutlierDetection();
    Fields f = fields.child("outlier_detection");
    f.use(
        "consecutive_5xx",
        "interval",
        "base_ejection_time",
        "max_ejection_time",
        "max_ejection_percent",
        "enforcing_consecutive_5xx",
        "consecutive_gateway_failure",
        "enforcing_consecutive_gateway_failure",
        "enforcing_success_rate",
        "success_rate_minimum_hosts",
        "success_rate_request_volume",
        "success_rate_stdev_factor",
        "enforcing_failure_percentage",
        "failure_percentage_threshold",
        "failure_percentage_minimum_hosts",
        "failure_percentage_request_volume");
    OutlierDetection.Builder builder = OutlierDetection.builder();
    boolean consecutive5xx =
        enforced(
            od.hasEnforcingConsecutive5Xx(),
            od.getEnforcingConsecutive5Xx(),
            100,
            f,
            "enforcing_consecutive_5xx");
    builder.consecutive5xx(
        consecutive5xx ? value(od.hasConsecutive5Xx(), od.getConsecutive5Xx(), 5) : NEVER);
    boolean gateway =
        enforced(
            od.hasEnforcingConsecutiveGatewayFailure(),
            od.getEnforcingConsecutiveGatewayFailure(),
            0,
            f,
            "enforcing_consecutive_gateway_failure");
    builder.consecutiveGatewayFailures(
        gateway
            ? value(od.hasConsecutiveGatewayFailure(), od.getConsecutiveGatewayFailure(), 5)
            : NEVER);
    if (od.hasInterval()) {
      builder.interval(Matchers.duration(od.getInterval()));
    }
    if (od.hasBaseEjectionTime()) {
      builder.baseEjectionTime(Matchers.duration(od.getBaseEjectionTime()));
    }
    if (od.hasMaxEjectionTime()) {
      builder.maxEjectionTime(Matchers.duration(od.getMaxEjectionTime()));
    }
    builder.maxEjectionPercent(value(od.hasMaxEjectionPercent(), od.getMaxEjectionPercent(), 10));
    builder.successRate(
        enforced(
            od.hasEnforcingSuccessRate(),
            od.getEnforcingSuccessRate(),
            100,
            f,
            "enforcing_success_rate"),
        value(od.hasSuccessRateMinimumHosts(), od.getSuccessRateMinimumHosts(), 5),
        value(od.hasSuccessRateRequestVolume(), od.getSuccessRateRequestVolume(), 100),
        value(od.hasSuccessRateStdevFactor(), od.getSuccessRateStdevFactor(), 1900) / 1000.0);
    builder.failurePercentage(
        enforced(
            od.hasEnforcingFailurePercentage(),
            od.getEnforcingFailurePercentage(),
            0,
            f,
            "enforcing_failure_percentage"),
        value(od.hasFailurePercentageThreshold(), od.getFailurePercentageThreshold(), 85),
        value(od.hasFailurePercentageMinimumHosts(), od.getFailurePercentageMinimumHosts(), 5),
        value(od.hasFailurePercentageRequestVolume(), od.getFailurePercentageRequestVolume(), 50));
    panicThreshold.ifPresent(builder::panicThresholdPercent);
    f.unsupported(
        "split_external_local_origin_errors",
        "Meshwork counts local and upstream failures together");
    try {
      return builder.build();
    } catch (MeshConfigException e) {
      throw new XdsRejection(at + " outlier_detection", e.getMessage());
    }
  }

  private static boolean enforced(
      boolean has, UInt32Value value, int byDefault, Fields f, String field) {
    long percent = has ? value.getValue() : byDefault;
    if (percent != 0 && percent != 100) {
      f.note(
          field,
          percent,
          "Meshwork enforces a kind of ejection always (any value above 0) or never (0)");
    }
    return percent > 0;
  }

  private static int value(boolean has, UInt32Value value, int byDefault) {
    return has ? (int) Math.min(value.getValue() & 0xffffffffL, Integer.MAX_VALUE) : byDefault;
  }
}

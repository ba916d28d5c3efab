package dev.meshwork.xds.internal;

import com.google.protobuf.UInt32Value;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.ConcurrencyLimits;
import dev.meshwork.core.policy.OutlierDetection;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes a Cluster: its discovery (EDS name or inline endpoints), balancer, circuit breaker
 * thresholds (the core's concurrency limits), outlier detection, connect timeout and upstream TLS.
 */
final class ClusterDecoder {
  /** Envoy's connect timeout when a cluster sets none. */
  static final Duration ENVOY_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** The balancer a cluster asks for; {@code size} is the ring or table size (0 for default). */
  record Balancer(String kind, long size) {}

  /**
   * A decoded cluster.
   *
   * @param edsName the ClusterLoadAssignment to fetch by EDS; empty when {@code inline} is set
   * @param inline endpoints carried in the cluster (STATIC and DNS clusters)
   */
  record ClusterSpec(
      String name,
      Optional<String> edsName,
      Optional<EndpointDecoder.EndpointsSpec> inline,
      Balancer balancer,
      OutlierDetection outlierDetection,
      ConcurrencyLimits limits,
      Duration connectTimeout,
      Optional<TlsDecoder.TlsSpec> tls,
      List<Unsupported> unsupported) {

    /**
     * Whether {@code other}'s service-level settings are the same values as this cluster's, and so
     * its {@link #policies()} the same text: compared without building the text for each pair of
     * clusters. False does not mean they differ: the text may still be equal.
     */
    boolean samePolicies(ClusterSpec other) {
      return balancer.equals(other.balancer)
          && limits.equals(other.limits)
          && connectTimeout.equals(other.connectTimeout)
          && tls.equals(other.tls)
          && sameText(outlierDetection, other.outlierDetection);
    }

    /** Equal settings print alike, except 0.0 and -0.0, which are equal but print apart. */
    private static boolean sameText(OutlierDetection a, OutlierDetection b) {
      return a == b
          || a.equals(b)
              && sameBits(a.maxEjectionPercent(), b.maxEjectionPercent())
              && sameBits(a.successRateStdevFactor(), b.successRateStdevFactor())
              && sameBits(a.failurePercentageThreshold(), b.failurePercentageThreshold())
              && sameBits(a.panicThresholdPercent(), b.panicThresholdPercent());
    }

    private static boolean sameBits(double a, double b) {
      return Double.doubleToLongBits(a) == Double.doubleToLongBits(b);
    }

    /** Text equal for clusters whose service-level settings are equal. */
    String policies() {
      return "balancer="
          + balancer
          + ", "
          + outlierDetection
          + ", "
          + limits
          + ", connectTimeout="
          + connectTimeout
          + ", tls="
          + tls.map(Object::toString).orElse("none");
    }
  }

  private ClusterDecoder() {}

  static ClusterSpec decode(Cluster cluster) {
    String at = "Cluster '" + cluster.getName() + "'";
    Fields fields = new Fields(cluster, "");
    fields.use("name", "alt_stat_name", "metadata", "type");
    Optional<String> eds = Optional.empty();
    Optional<EndpointDecoder.EndpointsSpec> inline = Optional.empty();
    switch (cluster.getType()) {
      case EDS -> {
        Fields config = fields.child("eds_cluster_config");
        config.use("service_name");
        ListenerDecoder.configSource(
            cluster.getEdsClusterConfig().getEdsConfig(),
            config,
            "eds_config",
            at + " eds_cluster_config.eds_config");
        String name = cluster.getEdsClusterConfig().getServiceName();
        eds = Optional.of(name.isEmpty() ? cluster.getName() : name);
      }
      case STATIC, STRICT_DNS, LOGICAL_DNS -> {
        fields.use("load_assignment", "dns_lookup_family");
        inline =
            Optional.of(
                EndpointDecoder.decode(cluster.getLoadAssignment(), at + " load_assignment"));
      }
      default ->
          throw new XdsRejection(at + " type", cluster.getType() + " clusters are not supported");
    }
    if (cluster.hasClusterType()) {
      throw new XdsRejection(
          at + " cluster_type",
          cluster.getClusterType().getName() + " (custom and aggregate clusters) is not supported");
    }
    if (cluster.hasLoadBalancingPolicy()) {
      throw new XdsRejection(
          at + " load_balancing_policy", "not supported; Meshwork reads lb_policy");
    }
    if (cluster.hasLbSubsetConfig()) {
      throw new XdsRejection(
          at + " lb_subset_config", "subsets by endpoint metadata are not supported");
    }
    Balancer balancer = balancer(cluster, fields, at);
    Duration connect = ENVOY_CONNECT_TIMEOUT;
    if (cluster.hasConnectTimeout()) {
      fields.use("connect_timeout");
      connect = Matchers.duration(cluster.getConnectTimeout());
    }
    ConcurrencyLimits limits = limits(cluster, fields, at);
    Optional<Double> panic = Optional.empty();
    if (cluster.hasCommonLbConfig()) {
      Fields common = fields.child("common_lb_config");
      if (cluster.getCommonLbConfig().hasHealthyPanicThreshold()) {
        common.use("healthy_panic_threshold");
        panic = Optional.of(cluster.getCommonLbConfig().getHealthyPanicThreshold().getValue());
      }
    }
    OutlierDetection outliers = OutlierDecoder.decode(cluster, fields, panic, at);
    Optional<TlsDecoder.TlsSpec> tls = TlsDecoder.decode(cluster, fields, at);
    List<Unsupported> unsupported = new ArrayList<>();
    fields.report("Cluster", cluster.getName(), unsupported);
    inline.ifPresent(spec -> unsupported.addAll(spec.unsupported()));
    return new ClusterSpec(
        cluster.getName(), eds, inline, balancer, outliers, limits, connect, tls, unsupported);
  }

  private static Balancer balancer(Cluster cluster, Fields fields, String at) {
    fields.use("lb_policy");
    return switch (cluster.getLbPolicy()) {
      case ROUND_ROBIN -> new Balancer("round_robin", 0);
      case LEAST_REQUEST -> {
        if (cluster.hasLeastRequestLbConfig()) {
          Fields config = fields.child("least_request_lb_config");
          config.use("choice_count");
          if (cluster.getLeastRequestLbConfig().hasChoiceCount()
              && cluster.getLeastRequestLbConfig().getChoiceCount().getValue() != 2) {
            config.note(
                "choice_count",
                cluster.getLeastRequestLbConfig().getChoiceCount().getValue(),
                "Meshwork always compares two endpoints");
          }
        }
        yield new Balancer("least_request", 0);
      }
      case RANDOM -> new Balancer("random", 0);
      case RING_HASH -> {
        long size = 1024;
        if (cluster.hasRingHashLbConfig()) {
          Fields config = fields.child("ring_hash_lb_config");
          config.use("minimum_ring_size");
          config.unsupported("hash_function", "Meshwork hashes with its own function");
          if (cluster.getRingHashLbConfig().hasMinimumRingSize()) {
            size = cluster.getRingHashLbConfig().getMinimumRingSize().getValue();
          }
        }
        yield new Balancer("ring_hash", size);
      }
      case MAGLEV -> {
        long size = 65537;
        if (cluster.hasMaglevLbConfig()) {
          fields.child("maglev_lb_config").use("table_size");
          if (cluster.getMaglevLbConfig().hasTableSize()) {
            size = cluster.getMaglevLbConfig().getTableSize().getValue();
          }
        }
        yield new Balancer("maglev", size);
      }
      default ->
          throw new XdsRejection(at + " lb_policy", cluster.getLbPolicy() + " is not supported");
    };
  }

  /** Envoy's DEFAULT-priority thresholds; Envoy's defaults (1024) equal the core's. */
  private static ConcurrencyLimits limits(Cluster cluster, Fields fields, String at) {
    ConcurrencyLimits defaults = ConcurrencyLimits.defaults();
    if (!cluster.hasCircuitBreakers()) {
      return defaults;
    }
    Fields breakers = fields.child("circuit_breakers");
    breakers.unsupported("thresholds", "Meshwork has no routing priorities; only DEFAULT applies");
    int requests = defaults.maxRequests();
    int pending = defaults.maxPending();
    int connections = defaults.maxConnectionsPerEndpoint();
    for (int i = 0; i < cluster.getCircuitBreakers().getThresholdsCount(); i++) {
      Thresholds thresholds = cluster.getCircuitBreakers().getThresholds(i);
      if (thresholds.getPriority() != RoutingPriority.DEFAULT) {
        continue;
      }
      Fields one = breakers.child("thresholds", i);
      one.use("priority", "max_requests", "max_pending_requests", "track_remaining");
      requests = thresholds.hasMaxRequests() ? clamp(thresholds.getMaxRequests()) : requests;
      pending =
          thresholds.hasMaxPendingRequests() ? clamp(thresholds.getMaxPendingRequests()) : pending;
      if (thresholds.hasMaxConnections()) {
        one.use("max_connections");
        if (thresholds.getMaxConnections().getValue() >= Integer.MAX_VALUE) {
          connections = Integer.MAX_VALUE;
        } else {
          one.note(
              "max_connections",
              thresholds.getMaxConnections().getValue(),
              "Meshwork bounds connections per endpoint (1024), not per cluster");
        }
      }
      one.unsupported(
          "max_retries", "Meshwork bounds retries with its retry budget (20% of calls)");
      one.unsupported(
          "retry_budget", "Meshwork bounds retries with its own retry budget (20% of calls)");
    }
    try {
      return new ConcurrencyLimits(requests, pending, connections);
    } catch (MeshConfigException e) {
      throw new XdsRejection(at + " circuit_breakers", e.getMessage());
    }
  }

  private static int clamp(UInt32Value value) {
    return (int) Math.min(value.getValue() & 0xffffffffL, Integer.MAX_VALUE);
  }
}

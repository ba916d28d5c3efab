package dev.meshwork.xds;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.List;
import java.util.Map;

/** Builds the Envoy resources the tests serve, as a control plane would. */
final class Resources {
  static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private Resources() {}

  /** A client Listener whose HTTP connection manager fetches {@code routeConfig} by RDS. */
  static Listener listener(String name, String routeConfig) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("outbound")
            .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(routeConfig))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
        .build();
  }

  /** A RouteConfiguration whose one virtual host serves {@code domain}, splitting by weight. */
  static RouteConfiguration split(String name, String domain, Map<String, Integer> weights) {
    WeightedCluster.Builder clusters = WeightedCluster.newBuilder();
    weights.forEach(
        (cluster, weight) ->
            clusters.addClusters(
                WeightedCluster.ClusterWeight.newBuilder()
                    .setName(cluster)
                    .setWeight(UInt32Value.of(weight))));
    return routes(
        name,
        domain,
        Route.newBuilder()
            .setName("split")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(
                RouteAction.newBuilder()
                    .setWeightedClusters(clusters)
                    .setTimeout(Durations.fromSeconds(0)))
            .build());
  }

  static RouteConfiguration routes(String name, String domain, Route... routes) {
    return RouteConfiguration.newBuilder()
        .setName(name)
        .addVirtualHosts(
            VirtualHost.newBuilder()
                .setName(domain)
                .addDomains(domain)
                .addAllRoutes(List.of(routes)))
        .build();
  }

  /** An EDS cluster balanced round robin. */
  static Cluster cluster(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN)
        .setConnectTimeout(Durations.fromSeconds(1))
        .build();
  }

  /** The endpoints of {@code cluster}: {@code host:port} each, healthy. */
  static ClusterLoadAssignment endpoints(String cluster, String... hostPorts) {
    LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
    for (String hostPort : hostPorts) {
      int colon = hostPort.lastIndexOf(':');
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setHealthStatus(HealthStatus.HEALTHY)
              .setEndpoint(
                  io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                      .setAddress(
                          Address.newBuilder()
                              .setSocketAddress(
                                  SocketAddress.newBuilder()
                                      .setAddress(hostPort.substring(0, colon))
                                      .setPortValue(
                                          Integer.parseInt(hostPort.substring(colon + 1)))))));
    }
    return ClusterLoadAssignment.newBuilder()
        .setClusterName(cluster)
        .addEndpoints(locality)
        .build();
  }
}

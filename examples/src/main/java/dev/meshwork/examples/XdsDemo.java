package dev.meshwork.examples;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.xds.XdsBootstrap;
import dev.meshwork.xds.XdsClient;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
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
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * The xDS demo: a control plane (java-control-plane's V3DiscoveryServer over a SimpleCache, as the
 * tests run it) and restbase, whose mesh takes mathoid's routes and endpoints from it, side by side
 * in one process. The first snapshot splits mathoid 90/10 between clusters v1 and v2; the second
 * sends everything to v2, and the calls follow without a restart:
 *
 * <pre>
 * mvn -q -pl examples -am compile exec:java -Dexec.mainClass=dev.meshwork.examples.XdsDemo
 * </pre>
 */
public final class XdsDemo {
  static {
    // The JDK server writes headers and body apart; without TCP_NODELAY each call waits for a
    // delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  static final int CALLS_PER_PHASE = 200;
  private static final String LISTENER = "mathoid:8080";
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private XdsDemo() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** Runs the demo; returns, per snapshot, how many calls each mathoid version served. */
  static List<Map<String, Integer>> run(PrintStream out) throws Exception {
    List<HttpServer> backends = List.of(backend("mathoid-v1"), backend("mathoid-v2"));
    SimpleCache<String> cache = new SimpleCache<>(node -> "all");
    Server controlPlane =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new V3DiscoveryServer(cache).getAggregatedDiscoveryServiceImpl())
            .build()
            .start();
    List<Map<String, Integer>> phases = new ArrayList<>();
    try {
      cache.setSnapshot("all", snapshot("1", 90, 10, backends));
      out.println("control plane on localhost:" + controlPlane.getPort() + ": mathoid 90/10");
      XdsBootstrap bootstrap =
          XdsBootstrap.builder()
              .server("localhost:" + controlPlane.getPort())
              .node(XdsBootstrap.Node.of("restbase-1"))
              .build();
      try (Mesh mesh = Mesh.builder().build();
          XdsClient xds = XdsClient.start(bootstrap, mesh, "http://mathoid:8080/")) {
        if (!xds.awaitReady(Duration.ofSeconds(20))
            || !mesh.awaitDiscovery(Duration.ofSeconds(20))) {
          throw new IllegalStateException("xDS not ready: " + xds.status());
        }
        OkHttpClient client = MeshOkHttp.of(mesh).client();
        phases.add(calls(client, out));

        cache.setSnapshot("all", snapshot("2", 0, 100, backends));
        out.println("control plane: mathoid 0/100");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"2".equals(xds.status().versions().get("RouteConfiguration"))) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("snapshot 2 not applied: " + xds.status());
          }
          java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
        phases.add(calls(client, out));
        out.println("xDS client: " + xds.status().versions() + ", " + xds.status().listeners());
      }
    } finally {
      controlPlane.shutdownNow();
      backends.forEach(b -> b.stop(0));
    }
    return phases;
  }

  private static Map<String, Integer> calls(OkHttpClient client, PrintStream out)
      throws java.io.IOException {
    Map<String, Integer> served = new TreeMap<>();
    for (int i = 0; i < CALLS_PER_PHASE; i++) {
      try (Response response =
          client
              .newCall(new Request.Builder().url("http://mathoid:8080/render").build())
              .execute()) {
        served.merge(response.body().string(), 1, Integer::sum);
      }
    }
    out.println("  " + CALLS_PER_PHASE + " calls served by " + served);
    return served;
  }

  private static HttpServer backend(String name) throws java.io.IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = name.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream stream = exchange.getResponseBody()) {
            stream.write(body);
          }
        });
    server.start();
    return server;
  }

  private static Snapshot snapshot(String version, int v1, int v2, List<HttpServer> backends) {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName("mathoid-routes"))
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    Listener listener =
        Listener.newBuilder()
            .setName(LISTENER)
            .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
            .build();
    WeightedCluster split =
        WeightedCluster.newBuilder()
            .addClusters(
                WeightedCluster.ClusterWeight.newBuilder()
                    .setName("mathoid-v1")
                    .setWeight(UInt32Value.of(v1)))
            .addClusters(
                WeightedCluster.ClusterWeight.newBuilder()
                    .setName("mathoid-v2")
                    .setWeight(UInt32Value.of(v2)))
            .build();
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName("mathoid-routes")
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName("mathoid")
                    .addDomains(LISTENER)
                    .addRoutes(
                        Route.newBuilder()
                            .setName("render")
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setRoute(RouteAction.newBuilder().setWeightedClusters(split))))
            .build();
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    for (int i = 0; i < backends.size(); i++) {
      String name = "mathoid-v" + (i + 1);
      clusters.add(
          Cluster.newBuilder()
              .setName(name)
              .setType(Cluster.DiscoveryType.EDS)
              .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
              .build());
      assignments.add(
          ClusterLoadAssignment.newBuilder()
              .setClusterName(name)
              .addEndpoints(
                  LocalityLbEndpoints.newBuilder()
                      .addLbEndpoints(
                          LbEndpoint.newBuilder()
                              .setEndpoint(
                                  Endpoint.newBuilder()
                                      .setAddress(
                                          Address.newBuilder()
                                              .setSocketAddress(
                                                  SocketAddress.newBuilder()
                                                      .setAddress("127.0.0.1")
                                                      .setPortValue(
                                                          backends
                                                              .get(i)
                                                              .getAddress()
                                                              .getPort()))))))
              .build());
    }
    return Snapshot.create(
        clusters, assignments, List.of(listener), List.of(routes), List.of(), version);
  }
}

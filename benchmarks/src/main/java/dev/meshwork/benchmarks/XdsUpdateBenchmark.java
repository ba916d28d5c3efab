package dev.meshwork.benchmarks;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.UInt32Value;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.xds.XdsBootstrap;
import dev.meshwork.xds.XdsClient;
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
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A CDS+EDS update of 1,000 clusters x 10 endpoints from a control plane, decoded, validated and
 * applied: 100 services (Listeners) whose routes split across 10 clusters each. Each operation
 * sends the next version of every Cluster (a changed connect timeout) and every
 * ClusterLoadAssignment (half the endpoints move) on the ADS stream, and ends when the client ACKs
 * the endpoints. The target is 300 ms.
 *
 * <p>Picks do not block meanwhile, by design: the client decodes and assembles on its own thread,
 * and the mesh swaps immutable services and endpoint sets atomically, so a call reads one snapshot
 * and never waits on a lock the update holds. A caller thread keeps calling one service through the
 * core pipeline during the trial; tear-down prints its call latency percentiles and failures, which
 * show it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class XdsUpdateBenchmark {
  private static final int SERVICES = 100;
  private static final int CLUSTERS_PER_SERVICE = 10;
  private static final int ENDPOINTS_PER_CLUSTER = 10;
  private static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  private static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  private static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  private static final String EDS =
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  private Server server;
  private volatile StreamObserver<DiscoveryResponse> stream;
  private final AtomicLong nonces = new AtomicLong();
  private final Object acks = new Object();
  private String ackedEds = ""; // guarded by acks
  private String nack; // guarded by acks

  /**
   * The resources of each version parity (the content alternates), packed once: building and
   * serializing them is the control plane's work, not the client's update.
   */
  private final List<List<Any>> packedClusters = List.of(pack(clusters(0)), pack(clusters(1)));

  private final List<List<Any>> packedAssignments =
      List.of(pack(assignments(0)), pack(assignments(1)));
  private Mesh mesh;
  private XdsClient xds;
  private int version = 1;
  private Thread caller;
  private volatile boolean stop;
  private final Recorder latencies = new Recorder(3);
  private final AtomicLong failedCalls = new AtomicLong();

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    server =
        Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
            .addService(new Ads())
            .build()
            .start();
    mesh = Mesh.builder().build();
    List<String> urls = new ArrayList<>();
    for (int s = 0; s < SERVICES; s++) {
      urls.add("http://service-" + s + ":8080/");
    }
    xds =
        XdsClient.start(
            XdsBootstrap.builder()
                .server("localhost:" + server.getPort())
                .node(XdsBootstrap.Node.of("benchmark"))
                .build(),
            mesh,
            urls.toArray(String[]::new));
    if (!xds.awaitReady(Duration.ofSeconds(60))) {
      throw new IllegalStateException("not ready: " + xds.status());
    }
    awaitAck("1");
    ServiceInvoker invoker =
        MeshTransports.attach(mesh, TransportContext.class, context -> context)
            .invoker("service-0");
    caller =
        new Thread(
            () -> {
              while (!stop) {
                long start = System.nanoTime();
                try {
                  invoker.invoke(NoNetwork.GET, NoNetwork.EXCHANGE);
                  latencies.recordValue(System.nanoTime() - start);
                } catch (IOException | RuntimeException e) {
                  failedCalls.incrementAndGet();
                }
              }
            },
            "benchmark-caller");
    caller.setDaemon(true);
    caller.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws InterruptedException {
    stop = true;
    caller.join();
    xds.close();
    mesh.close();
    server.shutdownNow();
    var histogram = latencies.getIntervalHistogram();
    System.out.printf(
        "%ncalls to service-0 during the updates: %d, failed: %d; latency p50 %.1f us, p99.9 %.1f"
            + " us, max %.1f us%n",
        histogram.getTotalCount(),
        failedCalls.get(),
        histogram.getValueAtPercentile(50) / 1e3,
        histogram.getValueAtPercentile(99.9) / 1e3,
        histogram.getMaxValue() / 1e3);
  }

  /** The next CDS and EDS versions, sent and ACKed. */
  @Benchmark
  public String update() {
    String next = String.valueOf(++version);
    send(CDS, next, packedClusters.get(version % 2));
    send(EDS, next, packedAssignments.get(version % 2));
    awaitAck(next);
    return next;
  }

  /** Waits, without spinning: on two cores a spinning waiter takes the update's own CPU. */
  private void awaitAck(String eds) {
    synchronized (acks) {
      while (!eds.equals(ackedEds)) {
        if (nack != null) {
          throw new IllegalStateException("NACK: " + nack);
        }
        try {
          acks.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted waiting for the ACK of " + eds, e);
        }
      }
    }
  }

  private static List<Any> pack(List<? extends Message> items) {
    return items.stream().map(Any::pack).toList();
  }

  private synchronized void send(String typeUrl, String version, List<Any> resources) {
    stream.onNext(
        DiscoveryResponse.newBuilder()
            .setTypeUrl(typeUrl)
            .setVersionInfo(version)
            .setNonce(String.valueOf(nonces.incrementAndGet()))
            .addAllResources(resources)
            .build());
  }

  /** Answers each first request of a type with version 1, and notes the ACKs. */
  private final class Ads
      extends AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceImplBase {
    @Override
    public StreamObserver<DiscoveryRequest> streamAggregatedResources(
        StreamObserver<DiscoveryResponse> responses) {
      stream = responses;
      return new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryRequest request) {
          if (request.hasErrorDetail()) {
            synchronized (acks) {
              nack = request.getErrorDetail().getMessage();
              acks.notifyAll();
            }
          } else if (request.getResponseNonce().isEmpty()) {
            switch (request.getTypeUrl()) {
              case LDS -> send(LDS, "1", pack(listeners()));
              case RDS -> send(RDS, "1", pack(routes()));
              case CDS -> send(CDS, "1", packedClusters.get(1));
              case EDS -> send(EDS, "1", packedAssignments.get(1));
              default -> {}
            }
          } else if (request.getTypeUrl().equals(EDS)) {
            synchronized (acks) {
              ackedEds = request.getVersionInfo();
              acks.notifyAll();
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
  }

  private static List<Listener> listeners() {
    List<Listener> listeners = new ArrayList<>();
    for (int s = 0; s < SERVICES; s++) {
      HttpConnectionManager hcm =
          HttpConnectionManager.newBuilder()
              .setRds(
                  io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds
                      .newBuilder()
                      .setConfigSource(ADS)
                      .setRouteConfigName("routes-" + s))
              .addHttpFilters(
                  HttpFilter.newBuilder()
                      .setName("router")
                      .setTypedConfig(Any.pack(Router.getDefaultInstance())))
              .build();
      listeners.add(
          Listener.newBuilder()
              .setName("service-" + s + ":8080")
              .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm)))
              .build());
    }
    return listeners;
  }

  private static List<RouteConfiguration> routes() {
    List<RouteConfiguration> routes = new ArrayList<>();
    for (int s = 0; s < SERVICES; s++) {
      WeightedCluster.Builder split = WeightedCluster.newBuilder();
      for (int c = 0; c < CLUSTERS_PER_SERVICE; c++) {
        split.addClusters(
            WeightedCluster.ClusterWeight.newBuilder()
                .setName(cluster(s, c))
                .setWeight(UInt32Value.of(1)));
      }
      routes.add(
          RouteConfiguration.newBuilder()
              .setName("routes-" + s)
              .addVirtualHosts(
                  VirtualHost.newBuilder()
                      .setName("service-" + s)
                      .addDomains("service-" + s + ":8080")
                      .addRoutes(
                          Route.newBuilder()
                              .setName("all")
                              .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                              .setRoute(RouteAction.newBuilder().setWeightedClusters(split))))
              .build());
    }
    return routes;
  }

  private static String cluster(int service, int cluster) {
    return "service-" + service + "-v" + cluster;
  }

  private static List<Cluster> clusters(int version) {
    List<Cluster> clusters = new ArrayList<>();
    for (int s = 0; s < SERVICES; s++) {
      for (int c = 0; c < CLUSTERS_PER_SERVICE; c++) {
        clusters.add(
            Cluster.newBuilder()
                .setName(cluster(s, c))
                .setType(Cluster.DiscoveryType.EDS)
                .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
                .setLbPolicy(Cluster.LbPolicy.LEAST_REQUEST)
                .setConnectTimeout(
                    com.google.protobuf.Duration.newBuilder().setSeconds(1).setNanos(version % 2))
                .build());
      }
    }
    return clusters;
  }

  private static List<ClusterLoadAssignment> assignments(int version) {
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    int host = 0;
    for (int s = 0; s < SERVICES; s++) {
      for (int c = 0; c < CLUSTERS_PER_SERVICE; c++) {
        LocalityLbEndpoints.Builder locality = LocalityLbEndpoints.newBuilder();
        for (int e = 0; e < ENDPOINTS_PER_CLUSTER; e++, host++) {
          // Even endpoints stay; odd ones move to another port in every other version.
          int port = e % 2 == 0 ? 8080 : 9000 + version % 2;
          locality.addLbEndpoints(
              LbEndpoint.newBuilder()
                  .setEndpoint(
                      Endpoint.newBuilder()
                          .setAddress(
                              Address.newBuilder()
                                  .setSocketAddress(
                                      SocketAddress.newBuilder()
                                          .setAddress(
                                              "10."
                                                  + (host >> 16 & 255)
                                                  + "."
                                                  + (host >> 8 & 255)
                                                  + "."
                                                  + (host & 255))
                                          .setPortValue(port)))));
        }
        assignments.add(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(cluster(s, c))
                .addEndpoints(locality)
                .build());
      }
    }
    return assignments;
  }
}

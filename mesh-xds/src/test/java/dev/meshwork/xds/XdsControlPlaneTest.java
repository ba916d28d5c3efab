package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.xds.internal.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The xDS client against a real control plane (java-control-plane's V3DiscoveryServer and
 * SimpleCache on a loopback port), with real backends called through the mesh's OkHttp client.
 */
class XdsControlPlaneTest {
  static final String LISTENER = "mathoid:8080";
  static final String ROUTES = "mathoid-routes";

  private Backends backends;
  private ControlPlane plane;
  private XdsClient xds;
  private Mesh mesh;

  @BeforeEach
  void start() throws IOException {
    backends = new Backends("a1", "a2", "b1");
    plane = new ControlPlane();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (xds != null) {
      xds.close();
    }
    if (mesh != null) {
      mesh.close();
    }
    plane.close();
    backends.close();
  }

  private Snapshot snapshot(String version, int weightA, int weightB) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    weights.put("mathoid-a", weightA);
    weights.put("mathoid-b", weightB);
    return snapshot(version, Resources.split(ROUTES, LISTENER, weights));
  }

  private Snapshot snapshot(String version, RouteConfiguration routes) {
    return Snapshot.create(
        List.<Cluster>of(Resources.cluster("mathoid-a"), Resources.cluster("mathoid-b")),
        List.<ClusterLoadAssignment>of(
            Resources.endpoints("mathoid-a", backends.address(0), backends.address(1)),
            Resources.endpoints("mathoid-b", backends.address(2))),
        List.<Listener>of(Resources.listener(LISTENER, ROUTES)),
        List.of(routes),
        List.of(),
        version);
  }

  private Mesh connect(XdsBootstrap.Node node) throws Exception {
    mesh = Mesh.builder().randomSeed(42).build();
    xds =
        XdsClient.start(
            XdsBootstrap.builder().server(plane.target()).node(node).build(),
            mesh,
            "http://mathoid:8080/");
    assertTrue(xds.awaitReady(Duration.ofSeconds(20)), () -> "ready: " + xds.status());
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(20)), "the mesh got the EDS endpoints");
    return mesh;
  }

  private static Map<String, Integer> call(OkHttpClient client, int times) throws IOException {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < times; i++) {
      try (Response response =
          client
              .newCall(new Request.Builder().url("http://mathoid:8080/render").build())
              .execute()) {
        assertEquals(200, response.code());
        counts.merge(response.body().string(), 1, Integer::sum);
      }
    }
    return counts;
  }

  @Test
  void trafficFollowsTheWeightedClustersAndANewSnapshotFromTheNextCallAfterItsAck()
      throws Exception {
    plane.set(snapshot("1", 90, 10));
    Mesh mesh = connect(XdsBootstrap.Node.of("restbase-1"));
    OkHttpClient client = MeshOkHttp.of(mesh).client();

    Map<String, Integer> counts = call(client, 5_000);
    double shareA = (counts.getOrDefault("a1", 0) + counts.getOrDefault("a2", 0)) / 50.0;
    assertTrue(Math.abs(shareA - 90) <= 2, "90% to cluster a within 2 points: " + counts);

    plane.set(snapshot("2", 0, 100));
    plane.awaitAck(ResourceType.ROUTE.typeUrl(), "2");
    assertEquals(Map.of("b1", 200), call(client, 200));
  }

  @Test
  void anInvalidResourceIsNackedWithItsReasonAndThePreviousVersionStays() throws Exception {
    plane.set(snapshot("1", 0, 100));
    Mesh mesh = connect(XdsBootstrap.Node.of("restbase-1"));
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    plane.awaitAck(ResourceType.ROUTE.typeUrl(), "1");

    RouteConfiguration invalid =
        Resources.routes(
            ROUTES,
            LISTENER,
            io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
                .setName("broken")
                .setMatch(
                    io.envoyproxy.envoy.config.route.v3.RouteMatch.newBuilder()
                        .setSafeRegex(
                            io.envoyproxy.envoy.type.matcher.v3.RegexMatcher.newBuilder()
                                .setRegex("/render(")))
                .setRoute(
                    io.envoyproxy.envoy.config.route.v3.RouteAction.newBuilder()
                        .setCluster("mathoid-a"))
                .build());
    plane.set(snapshot("2", invalid));

    DiscoveryRequest nack =
        plane.await(
            "a NACK of RouteConfiguration 2",
            r -> r.getTypeUrl().equals(ResourceType.ROUTE.typeUrl()) && r.hasErrorDetail());
    assertEquals("1", nack.getVersionInfo(), "a NACK carries the last accepted version");
    assertTrue(!nack.getResponseNonce().isEmpty(), "and the rejected response's nonce");
    assertTrue(
        nack.getErrorDetail()
            .getMessage()
            .contains(
                "RouteConfiguration 'mathoid-routes' route 'broken' match.safe_regex.regex: '/render(' does not compile"),
        nack.getErrorDetail().getMessage());
    assertEquals(Map.of("b1", 50), call(client, 50), "version 1 (all to b) stays in use");
    assertEquals("1", xds.status().versions().get("RouteConfiguration"));
    assertTrue(xds.status().lastNack().orElseThrow().contains("does not compile"));
    assertTrue(
        mesh.configStatus().lastError().orElseThrow().message().contains("does not compile"),
        "the mesh's config status records the NACK: " + mesh.configStatus());
  }

  @Test
  void theBootstrapIstioWritesConnectsAndPresentsItsNode() throws Exception {
    XdsBootstrap bootstrap = XdsBootstrap.parse(XdsBootstrapTest.istioBootstrap());
    assertEquals("unix:///etc/istio/proxy/XDS", bootstrap.server().uri());
    plane.set(snapshot("1", 0, 100));
    Mesh mesh = connect(bootstrap.node());

    DiscoveryRequest first = plane.await("a request with the node", DiscoveryRequest::hasNode);
    assertEquals(bootstrap.node().id(), first.getNode().getId());
    assertEquals(
        "default", first.getNode().getMetadata().getFieldsOrThrow("NAMESPACE").getStringValue());
    assertEquals("us-east1-b", first.getNode().getLocality().getZone());
    assertEquals(Map.of("b1", 10), call(MeshOkHttp.of(mesh).client(), 10));
  }
}

package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.xds.internal.AdsClient;
import dev.meshwork.xds.internal.ConfigurerSink;
import dev.meshwork.xds.internal.ResourceType;
import dev.meshwork.xds.internal.XdsRuntime;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What no well-behaved control plane sends, from a scripted ADS server: each response is NACKed or
 * reported, never a crash or a half-applied update, and version 1 keeps serving the calls.
 */
class XdsBadInputTest {
  private static final String LISTENER = "mathoid:8080";
  private static final String LDS = ResourceType.LISTENER.typeUrl();
  private static final String RDS = ResourceType.ROUTE.typeUrl();
  private static final String CDS = ResourceType.CLUSTER.typeUrl();
  private static final String EDS = ResourceType.ENDPOINT.typeUrl();
  private static final int MESSAGE_LIMIT = 64 * 1024;

  private Backends backends;
  private ScriptedControlPlane plane;
  private XdsRuntime xds;
  private Mesh mesh;
  private OkHttpClient client;
  private final ManualTimers timers = new ManualTimers();
  private final ManualClock clock = new ManualClock();

  @BeforeEach
  void start() throws Exception {
    backends = new Backends("b1", "b2");
    plane = new ScriptedControlPlane();
    mesh = Mesh.builder().randomSeed(5).clock(clock).build();
    xds =
        new XdsRuntime(
            plane.target(),
            io.grpc.InsecureChannelCredentials.create(),
            BootstrapProtos.node(XdsBootstrap.Node.of("restbase-1")),
            Set.of(LISTENER),
            new ConfigurerSink(mesh),
            new XdsRuntime.Options(
                    clock,
                    Optional.of(timers),
                    new Random(3),
                    XdsRuntime.DOES_NOT_EXIST_TIMEOUT,
                    AdsClient.Backoff.GRPC,
                    false)
                .withMaxMessageBytes(MESSAGE_LIMIT));
    timers.executor(xds::execute);
    plane.subscribed(LDS, LISTENER);
    plane.send(LDS, "1", Resources.listener(LISTENER, "routes"));
    plane.subscribed(RDS, "routes");
    plane.send(RDS, "1", Resources.split("routes", LISTENER, Map.of("mathoid", 1)));
    plane.subscribed(CDS, "mathoid");
    plane.send(CDS, "1", Resources.cluster("mathoid"));
    plane.subscribed(EDS, "mathoid");
    plane.answer(plane.send(EDS, "1", Resources.endpoints("mathoid", backends.address(0))));
    xds.firstApplied().get(20, TimeUnit.SECONDS);
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(20)));
    client = MeshOkHttp.of(mesh).client();
    assertVersionOneServes();
  }

  @AfterEach
  void stop() {
    xds.close();
    mesh.close();
    plane.close();
    backends.close();
  }

  private void assertVersionOneServes() throws IOException {
    for (int i = 0; i < 5; i++) {
      assertEquals("b1", call("/render"));
    }
  }

  private String call(String path) throws IOException {
    try (Response response =
        client.newCall(new Request.Builder().url("http://mathoid:8080" + path).build()).execute()) {
      assertEquals(200, response.code());
      return response.body().string();
    }
  }

  private static void assertNack(DiscoveryRequest answer, String version, String detail) {
    assertTrue(answer.hasErrorDetail(), () -> "a NACK: " + answer);
    assertEquals(version, answer.getVersionInfo(), "a NACK carries the last accepted version");
    assertTrue(
        answer.getErrorDetail().getMessage().contains(detail),
        answer.getErrorDetail().getMessage());
  }

  @Test
  void duplicateResourceNamesInOneResponseAreNacked() throws IOException {
    Cluster other =
        Resources.cluster("mathoid").toBuilder().setLbPolicy(Cluster.LbPolicy.RANDOM).build();
    DiscoveryRequest answer =
        plane.answer(plane.send(CDS, "2", Resources.cluster("mathoid"), other));

    assertNack(answer, "1", "Cluster 'mathoid' appears twice in the response");
    assertEquals("1", xds.status().versions().get("Cluster"));
    assertVersionOneServes();
  }

  @Test
  void aResponseOfAnUnknownTypeAndAResourceOfAnotherTypeAreNacked() throws IOException {
    String unknown = "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig";
    DiscoveryRequest answer =
        plane.answer(plane.send(unknown, "9", TypedExtensionConfig.getDefaultInstance()));
    assertEquals(unknown, answer.getTypeUrl());
    assertTrue(
        answer.getErrorDetail().getMessage().contains("was not subscribed to"), answer.toString());

    DiscoveryRequest mixed =
        plane.answer(
            plane.send(
                CDS,
                "2",
                Resources.cluster("mathoid"),
                Resources.endpoints("mathoid", backends.address(1))));
    assertNack(mixed, "1", "resource of type " + EDS + ": in a Cluster response");
    assertVersionOneServes();
  }

  @Test
  void aResponseOverTheMessageSizeLimitEndsTheStreamAndBacksOffWhileVersionOneServes()
      throws IOException {
    String[] many = new String[MESSAGE_LIMIT / 20];
    for (int i = 0; i < many.length; i++) {
      many[i] = "10.1." + (i / 250) + "." + (i % 250) + ":8080";
    }
    ClusterLoadAssignment huge = Resources.endpoints("mathoid", many);
    assertTrue(huge.getSerializedSize() > MESSAGE_LIMIT);
    int seen = plane.requests.size();
    plane.send(EDS, "2", huge);

    await(() -> !xds.status().connected(), "the oversized response ends the stream");
    assertTrue(
        xds.status().streamDetail().contains("message size limit"), xds.status().streamDetail());
    assertEquals("1", xds.status().versions().get("ClusterLoadAssignment"));
    assertVersionOneServes();
    ManualTimers.Task reconnect = awaitTask();
    assertTrue(
        reconnect.delay.toMillis() >= 800,
        "a stream that ended on an oversized response backs off: " + reconnect.delay);
    assertTrue(
        plane.requests.subList(seen, plane.requests.size()).stream()
            .noneMatch(r -> r.getTypeUrl().equals(EDS) && r.getVersionInfo().equals("2")),
        "nothing of version 2 was accepted");
  }

  @Test
  void aClusterThatNeverArrivesDoesNotExistAfterItsTimerAndOnlyItsRouteFails() throws Exception {
    Route ghost =
        Route.newBuilder()
            .setName("ghost")
            .setMatch(RouteMatch.newBuilder().setPrefix("/ghost"))
            .setRoute(RouteAction.newBuilder().setCluster("ghost"))
            .build();
    Route rest =
        Route.newBuilder()
            .setName("rest")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setCluster("mathoid"))
            .build();
    plane.answer(plane.send(RDS, "2", Resources.routes("routes", LISTENER, ghost, rest)));
    plane.subscribed(CDS, "ghost");
    plane.answer(plane.send(CDS, "2", Resources.cluster("mathoid")));
    assertTrue(
        xds.status().targets().get(LISTENER).contains("waiting for [Cluster 'ghost']"),
        xds.status().targets().toString());
    assertVersionOneServes();
    assertEquals("b1", call("/ghost/x"), "version 1 routes /ghost to mathoid until ghost is known");

    ManualTimers.Task doesNotExist = awaitTask();
    assertEquals(XdsRuntime.DOES_NOT_EXIST_TIMEOUT, doesNotExist.delay);
    timers.run(doesNotExist);
    await(
        () -> mesh.configStatus().version().contains("without Cluster 'ghost'"),
        "the mesh applies the routes without the ghost cluster");
    assertTrue(
        xds.status().targets().get(LISTENER).contains("Cluster 'ghost' does not exist"),
        xds.status().targets().toString());

    IOException failed = assertThrows(IOException.class, () -> call("/ghost/x"));
    assertTrue(failed.getMessage().contains("mathoid"), failed.getMessage());
    assertTrue(failed.getMessage().contains("ghost"), failed.getMessage());
    assertVersionOneServes();
  }

  @Test
  void anEmptyClusterIsAppliedAndReported() throws IOException {
    Route one =
        Route.newBuilder()
            .setName("empty")
            .setMatch(RouteMatch.newBuilder().setPrefix("/empty"))
            .setRoute(RouteAction.newBuilder().setCluster("empty"))
            .build();
    Route rest =
        Route.newBuilder()
            .setName("rest")
            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
            .setRoute(RouteAction.newBuilder().setCluster("mathoid"))
            .build();
    plane.answer(plane.send(RDS, "2", Resources.routes("routes", LISTENER, one, rest)));
    plane.subscribed(CDS, "empty");
    plane.answer(plane.send(CDS, "2", Resources.cluster("mathoid"), Resources.cluster("empty")));
    plane.subscribed(EDS, "empty");
    DiscoveryRequest ack =
        plane.answer(
            plane.send(
                EDS, "2", ClusterLoadAssignment.newBuilder().setClusterName("empty").build()));
    assertFalse(ack.hasErrorDetail(), ack.toString());

    assertTrue(
        xds.status().targets().get(LISTENER).contains("cluster 'empty' has no endpoints"),
        xds.status().targets().toString());
    IOException failed = assertThrows(IOException.class, () -> call("/empty/x"));
    assertTrue(failed.getMessage().contains("empty"), failed.getMessage());
    assertVersionOneServes();
  }

  @Test
  void theSameRejectedContentAgainIsNackedAfterAGrowingPauseNotAtOnce() throws IOException {
    Cluster ringless =
        Resources.cluster("mathoid").toBuilder()
            .setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED)
            .build();
    assertNack(plane.answer(plane.send(CDS, "2", ringless)), "1", "CLUSTER_PROVIDED");

    List<Duration> pauses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String nonce = plane.send(CDS, "2", ringless);
      ManualTimers.Task pause = awaitTask();
      assertTrue(
          plane.requests.stream().noneMatch(r -> r.getResponseNonce().equals(nonce)),
          "the repeated NACK waits for its pause");
      pauses.add(pause.delay);
      timers.run(pause);
      assertNack(plane.answer(nonce), "1", "CLUSTER_PROVIDED");
    }
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), pauses);

    // New content is judged at once, and accepted.
    DiscoveryRequest ack = plane.answer(plane.send(CDS, "3", Resources.cluster("mathoid")));
    assertFalse(ack.hasErrorDetail(), ack.toString());
    assertEquals("3", ack.getVersionInfo());
    assertVersionOneServes();
  }

  /** The first pending timer the client scheduled (a reconnect, a pause or a does-not-exist). */
  private ManualTimers.Task awaitTask() {
    ManualTimers.Task[] found = new ManualTimers.Task[1];
    await(
        () -> {
          Optional<ManualTimers.Task> task = timers.pending(Duration.ofMinutes(5));
          task.ifPresent(t -> found[0] = t);
          return task.isPresent();
        },
        "a scheduled task");
    return found[0];
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 20 s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
  }
}

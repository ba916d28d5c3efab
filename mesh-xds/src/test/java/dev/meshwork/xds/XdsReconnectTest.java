package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.xds.internal.AdsClient;
import dev.meshwork.xds.internal.ConfigurerSink;
import dev.meshwork.xds.internal.ResourceType;
import dev.meshwork.xds.internal.XdsRuntime;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
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
 * The control plane going away changes nothing for calls: the last accepted resources stay, the
 * client's status shows how stale they are, reconnects back off exponentially with jitter (on
 * timers the test runs, so no time passes), and the resumed stream carries the last accepted
 * versions, so the next snapshot applies.
 */
class XdsReconnectTest {
  private static final String LISTENER = "mathoid:8080";

  private Backends backends;
  private ControlPlane plane;
  private XdsRuntime xds;
  private Mesh mesh;
  private final ManualTimers timers = new ManualTimers();
  private final ManualClock clock = new ManualClock();

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
    return Snapshot.create(
        List.of(Resources.cluster("mathoid-a"), Resources.cluster("mathoid-b")),
        List.of(
            Resources.endpoints("mathoid-a", backends.address(0), backends.address(1)),
            Resources.endpoints("mathoid-b", backends.address(2))),
        List.of(Resources.listener(LISTENER, "routes")),
        List.of(Resources.split("routes", LISTENER, weights)),
        List.of(),
        version);
  }

  @Test
  void callsGoOnThroughAnOutageAndTheResumedStreamAppliesTheNextSnapshot() throws Exception {
    plane.set(snapshot("1", 0, 100));
    mesh = Mesh.builder().randomSeed(7).clock(clock).build();
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
                false));
    timers.executor(xds::execute);
    xds.firstApplied().get(20, TimeUnit.SECONDS);
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(20)));
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    plane.awaitAck(ResourceType.ENDPOINT.typeUrl(), "1");
    assertEquals(Map.of("b1", 20), call(client, 20));

    plane.stop();
    ManualTimers.Task immediate = awaitReconnect();
    assertEquals(Duration.ZERO, immediate.delay, "a stream that had answered is retried at once");
    assertFalse(xds.status().connected());
    clock.advance(Duration.ofSeconds(30));
    assertEquals(Duration.ofSeconds(30), xds.status().staleness(), "staleness is visible");
    assertEquals(Map.of("b1", 50), call(client, 50), "the last accepted endpoints stay in use");

    timers.run(immediate);
    ManualTimers.Task first = awaitReconnect();
    assertBetween(first.delay, 800, 1200);
    timers.run(first);
    ManualTimers.Task second = awaitReconnect();
    assertBetween(second.delay, 1280, 1920);

    int seen = plane.requests.size();
    plane.start();
    // The channel reconnects on its own; an attempt made before it has would fail fast, so the
    // scheduled attempt runs once the channel is connected again.
    await(xds::channelReady, "the channel connects to the restarted control plane");
    timers.run(second);
    await(() -> plane.requests.size() > seen, "the client reconnects to the restarted plane");
    DiscoveryRequest resumed =
        plane.await(
            "a resumed LDS request",
            r ->
                plane.requests.indexOf(r) >= seen
                    && r.getTypeUrl().equals(ResourceType.LISTENER.typeUrl()));
    assertEquals(
        "1", resumed.getVersionInfo(), "the resumed stream carries the last accepted version");
    assertTrue(resumed.getResponseNonce().isEmpty(), "and no nonce of the old stream");

    plane.set(snapshot("2", 100, 0));
    plane.awaitAck(ResourceType.ROUTE.typeUrl(), "2");
    Map<String, Integer> after = call(client, 40);
    assertEquals(40, after.getOrDefault("a1", 0) + after.getOrDefault("a2", 0), after.toString());
    assertTrue(xds.status().connected());
    assertEquals(Duration.ZERO, xds.status().staleness());
  }

  private ManualTimers.Task awaitReconnect() {
    ManualTimers.Task[] found = new ManualTimers.Task[1];
    await(
        () -> {
          // Does-not-exist timers are 15 s; a reconnect's back-off starts below 2 s here.
          Optional<ManualTimers.Task> task = timers.pending(Duration.ofSeconds(10));
          task.ifPresent(t -> found[0] = t);
          return task.isPresent();
        },
        "a scheduled reconnect");
    return found[0];
  }

  private static void assertBetween(Duration delay, long minMillis, long maxMillis) {
    assertTrue(
        delay.toMillis() >= minMillis && delay.toMillis() <= maxMillis,
        "back-off " + delay.toMillis() + " ms within " + minMillis + ".." + maxMillis);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30 s: " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private static Map<String, Integer> call(OkHttpClient client, int times) throws IOException {
    Map<String, Integer> counts = new LinkedHashMap<>();
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
}

package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.util.Durations;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.xds.internal.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cluster settings and endpoint updates from a real control plane, seen through real calls. */
class XdsClusterTest {
  private static final String LISTENER = "mathoid:8080";
  private static final long CALL_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1) / 200;

  private Backends backends;
  private ControlPlane plane;
  private XdsClient xds;
  private Mesh mesh;

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

  private Snapshot snapshot(String version, Cluster cluster, ClusterLoadAssignment endpoints) {
    return Snapshot.create(
        List.of(cluster),
        List.of(endpoints),
        List.of(Resources.listener(LISTENER, "routes")),
        List.of(Resources.split("routes", LISTENER, Map.of("mathoid", 1))),
        List.of(),
        version);
  }

  private OkHttpClient connect(Snapshot first) throws Exception {
    plane = new ControlPlane();
    plane.set(first);
    mesh = Mesh.builder().randomSeed(11).build();
    xds =
        XdsClient.start(
            XdsBootstrap.builder()
                .server(plane.target())
                .node(XdsBootstrap.Node.of("restbase-1"))
                .build(),
            mesh,
            "http://mathoid:8080/");
    assertTrue(xds.awaitReady(Duration.ofSeconds(20)), () -> "ready: " + xds.status());
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(20)));
    return MeshOkHttp.of(mesh).client();
  }

  private static int status(OkHttpClient client) throws IOException {
    try (Response response =
        client.newCall(new Request.Builder().url("http://mathoid:8080/render").build()).execute()) {
      return response.code();
    }
  }

  @Test
  void outlierDetectionFromCdsEjectsTheBackendAnswering503() throws Exception {
    backends = new Backends("a1", "a2");
    backends.status(0, 503);
    Cluster ejecting =
        Resources.cluster("mathoid").toBuilder()
            .setOutlierDetection(
                OutlierDetection.newBuilder()
                    .setConsecutive5Xx(UInt32Value.of(2))
                    .setMaxEjectionPercent(UInt32Value.of(50))
                    .setBaseEjectionTime(Durations.fromSeconds(300)))
            .build();
    OkHttpClient client =
        connect(
            snapshot(
                "1",
                ejecting,
                Resources.endpoints("mathoid", backends.address(0), backends.address(1))));

    int failed = 0;
    for (int i = 0; i < 40; i++) {
      failed += status(client) == 503 ? 1 : 0;
    }
    // Round robin: a1 answers 503 twice in a row from its point of view, then is ejected.
    assertEquals(2, failed, "a1 was ejected after consecutive_5xx = 2 of its answers");

    // Without outlier_detection in CDS (Envoy's default: none) a1 keeps getting its share.
    plane.set(
        snapshot(
            "2",
            Resources.cluster("mathoid"),
            Resources.endpoints("mathoid", backends.address(0), backends.address(1))));
    plane.awaitAck(ResourceType.CLUSTER.typeUrl(), "2");
    // The swap turned outlier detection off: a1 is back in balancing and fails its share again.
    failed = 0;
    for (int i = 0; i < 40; i++) {
      failed += status(client) == 503 ? 1 : 0;
    }
    assertEquals(20, failed, "without outlier detection a1 answers every other call");
  }

  @Test
  void unsupportedFieldsAreWarningsOfTheMeshsConfigStatus() throws Exception {
    backends = new Backends("w1");
    Cluster withCleanup =
        Resources.cluster("mathoid").toBuilder()
            .setCleanupInterval(Durations.fromSeconds(7))
            .build();
    OkHttpClient client =
        connect(snapshot("1", withCleanup, Resources.endpoints("mathoid", backends.address(0))));

    assertEquals(200, status(client));
    List<String> warnings = mesh.configStatus().warnings();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(
        warnings.get(0).startsWith("Cluster 'mathoid' cleanup_interval = "), warnings.toString());
    assertEquals(xds.status().unsupported(), warnings);

    // Only the unsupported field goes: the services stay equal, the warning leaves all the same.
    long generation = mesh.configStatus().generation();
    plane.set(
        snapshot(
            "2",
            Resources.cluster("mathoid"),
            Resources.endpoints("mathoid", backends.address(0))));
    plane.awaitAck(ResourceType.CLUSTER.typeUrl(), "2");
    assertEquals(List.of(), mesh.configStatus().warnings());
    assertEquals(generation + 1, mesh.configStatus().generation());
  }

  @Test
  void endpointUpdatesUnder200CallsPerSecondFromFourCallersFailNoCall() throws Exception {
    backends = new Backends("e1", "e2", "e3", "e4");
    Cluster cluster = Resources.cluster("mathoid");
    OkHttpClient client =
        connect(
            snapshot(
                "1",
                cluster,
                Resources.endpoints("mathoid", backends.address(0), backends.address(1))));

    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger calls = new AtomicInteger();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(4);
    List<Future<?>> loops = new ArrayList<>();
    // 200 calls/s shared by the 4 callers: each call takes the next 5 ms slot and waits for it.
    AtomicLong slots = new AtomicLong();
    long start = System.nanoTime();
    for (int t = 0; t < 4; t++) {
      loops.add(
          callers.submit(
              () -> {
                while (running.get()) {
                  long slot = start + slots.getAndIncrement() * CALL_INTERVAL_NANOS;
                  long early = slot - System.nanoTime();
                  if (early > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(early);
                  }
                  try {
                    int code = status(client);
                    if (code != 200) {
                      failures.add("status " + code);
                    }
                  } catch (IOException e) {
                    failures.add(e.toString());
                  }
                  calls.incrementAndGet();
                }
              }));
    }
    // Add, remove and drain (a DRAINING endpoint is no longer picked) while the callers run.
    List<String[]> steps =
        List.of(
            new String[] {backends.address(0), backends.address(1), backends.address(2)},
            new String[] {backends.address(1), backends.address(2)},
            new String[] {backends.address(2), backends.address(3)},
            new String[] {backends.address(0), backends.address(3)});
    int version = 2;
    for (String[] step : steps) {
      int before = calls.get();
      plane.set(snapshot(String.valueOf(version), cluster, Resources.endpoints("mathoid", step)));
      plane.awaitAck(ResourceType.ENDPOINT.typeUrl(), String.valueOf(version));
      awaitCalls(calls, before + 200);
      version++;
    }
    ClusterLoadAssignment draining =
        Resources.endpoints("mathoid", backends.address(0), backends.address(3)).toBuilder()
            .setEndpoints(
                0,
                Resources.endpoints("mathoid", backends.address(0), backends.address(3))
                    .getEndpoints(0)
                    .toBuilder()
                    .setLbEndpoints(
                        0,
                        Resources.endpoints("mathoid", backends.address(0))
                            .getEndpoints(0)
                            .getLbEndpoints(0)
                            .toBuilder()
                            .setHealthStatus(
                                io.envoyproxy.envoy.config.core.v3.HealthStatus.DRAINING)))
            .build();
    int before = calls.get();
    plane.set(snapshot(String.valueOf(version), cluster, draining));
    plane.awaitAck(ResourceType.ENDPOINT.typeUrl(), String.valueOf(version));
    awaitCalls(calls, before + 200);
    running.set(false);
    for (Future<?> loop : loops) {
      loop.get(30, TimeUnit.SECONDS);
    }
    callers.shutdown();

    assertEquals(List.of(), failures, "no call failed over " + calls.get() + " calls");
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    assertTrue(
        calls.get() <= (seconds + 1) * 200 + 4,
        calls.get() + " calls in " + seconds + " s: the callers kept to 200 calls/s");
    assertEquals(
        List.of(backends.address(3)),
        mesh.endpoints("mathoid").stream().map(e -> e.address()).toList(),
        "the draining endpoint left the set");
  }

  private static void awaitCalls(AtomicInteger calls, int target) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (calls.get() < target) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the callers made only " + calls.get() + " calls");
      }
      java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }
}

package dev.meshwork.discovery.kubernetes;

import static dev.meshwork.discovery.kubernetes.KubernetesDiscoveryTest.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.okhttp.MeshOkHttp;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Last known good through a Kubernetes API outage, end to end: calls from several threads go
 * through the mesh's OkHttp client to real HTTP backends (MockWebServer) whose addresses come from
 * EndpointSlices; the API server goes away for a while and comes back. No call may fail.
 *
 * <p>The API server is the fabric8 mock server in CRUD mode (no real one is available here); to the
 * client its shutdown looks like an API server outage: connections refused, the watch gone.
 */
class ApiServerOutageTest {
  private static final int THREADS = 3;

  private final List<MockWebServer> backends = new ArrayList<>();
  private int port;
  private ApiServer api;
  private KubernetesClient admin;

  /** Three backends on 127.0.0.1, .2 and .3, one port, as pods behind one service port are. */
  @BeforeEach
  void start() throws IOException {
    for (int i = 1; i <= 3; i++) {
      MockWebServer backend = new MockWebServer();
      String name = "backend-" + i;
      backend.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder().code(200).body(name).build();
            }
          });
      backend.start(InetAddress.getByName("127.0.0." + i), port);
      port = backend.getPort();
      backends.add(backend);
    }
    api = new ApiServer();
    admin = api.client();
  }

  @AfterEach
  void stop() throws IOException {
    admin.close();
    api.close();
    for (MockWebServer backend : backends) {
      backend.close();
    }
  }

  private EndpointSlice slice(int count) {
    EndpointSliceBuilder slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName("mathoid-abc")
            .withNamespace(NS)
            .addToLabels("kubernetes.io/service-name", "mathoid")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withPort(port)
            .withProtocol("TCP")
            .endPort();
    for (int i = 1; i <= count; i++) {
      slice
          .addNewEndpoint()
          .withAddresses("127.0.0." + i)
          .withNewConditions()
          .withReady(true)
          .endConditions()
          .endEndpoint();
    }
    return slice.build();
  }

  private List<Endpoint> endpoints(int count) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      endpoints.add(Endpoint.of("127.0.0." + i, port));
    }
    return endpoints;
  }

  /** Calls {@code http://mathoid/} in a loop on its own thread, counting answers by backend. */
  private static final class Callers implements AutoCloseable {
    final Map<String, AtomicLong> servedBy = new ConcurrentHashMap<>();
    final AtomicLong succeeded = new AtomicLong();
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    Callers(OkHttpClient client) {
      for (int t = 0; t < THREADS; t++) {
        Thread thread =
            new Thread(
                () -> {
                  while (!stop) {
                    try (Response response =
                        client
                            .newCall(new Request.Builder().url("http://mathoid/").build())
                            .execute()) {
                      String body = response.body().string();
                      if (response.code() == 200) {
                        servedBy.computeIfAbsent(body, b -> new AtomicLong()).incrementAndGet();
                        succeeded.incrementAndGet();
                      } else {
                        failures.add(response.code() + " " + body);
                      }
                    } catch (IOException | RuntimeException e) {
                      failures.add(e.toString());
                    }
                  }
                },
                "caller-" + t);
        thread.setDaemon(true);
        thread.start();
        threads.add(thread);
      }
    }

    /** Waits until every backend in {@code names} has served {@code calls} more calls than now. */
    void awaitCallsTo(List<String> names, int calls) {
      Map<String, Long> start = names.stream().collect(Collectors.toMap(n -> n, this::served));
      Eventually.await(
          () -> names.stream().allMatch(n -> served(n) >= start.get(n) + calls),
          () ->
              calls
                  + " more calls to each of "
                  + names
                  + ", served "
                  + servedBy
                  + ", "
                  + failures.size()
                  + " failures, the first: "
                  + failures.subList(0, Math.min(3, failures.size())));
    }

    private long served(String name) {
      AtomicLong count = servedBy.get(name);
      return count == null ? 0 : count.get();
    }

    @Override
    public void close() throws InterruptedException {
      stop = true;
      for (Thread thread : threads) {
        thread.join();
      }
    }
  }

  @Test
  void callsKeepSucceedingWhileTheApiServerIsDownAndTheMeshFollowsItAgainAfterwards()
      throws Exception {
    admin.resource(slice(3)).inNamespace(NS).create();
    KubernetesDiscovery discovery =
        KubernetesDiscovery.builder()
            .client(api.client())
            .namespace(NS)
            .portName("http")
            .connectionCheck(Duration.ofMillis(20))
            .build();
    List<String> all = List.of("backend-1", "backend-2", "backend-3");
    try (Mesh mesh =
            Mesh.builder()
                .service("mathoid", s -> s.discovery(discovery))
                .awaitDiscovery(Duration.ofSeconds(30))
                .build();
        Callers callers = new Callers(MeshOkHttp.of(mesh).client())) {
      assertEquals(endpoints(3), mesh.endpoints("mathoid"));
      callers.awaitCallsTo(all, 50);

      api.stop();
      Eventually.await(
          () -> {
            DiscoveryHealth health = mesh.discoveryHealth("mathoid");
            return health.status() != DiscoveryHealth.Status.HEALTHY
                && health.lastError().isPresent();
          },
          () -> "the outage reported, health " + mesh.discoveryHealth("mathoid"));
      // Calls through the outage, to every backend: the endpoints were kept, not wiped.
      callers.awaitCallsTo(all, 200);
      assertEquals(endpoints(3), mesh.endpoints("mathoid"));
      assertTrue(
          mesh.discoveryHealth("mathoid").status() != DiscoveryHealth.Status.HEALTHY,
          "still down while the calls went on: " + mesh.discoveryHealth("mathoid"));

      api.start();
      Eventually.await(() -> mesh.discoveryHealth("mathoid").healthy(), () -> "the watch back up");
      admin.resource(slice(2)).inNamespace(NS).update();
      KubernetesDiscoveryTest.awaitEndpoints(mesh, endpoints(2));
      callers.awaitCallsTo(List.of("backend-1", "backend-2"), 50);
      callers.close();
      assertEquals(
          0,
          callers.failures.size(),
          () ->
              callers.failures.size()
                  + " failed calls out of "
                  + (callers.succeeded.get() + callers.failures.size())
                  + ", the first: "
                  + callers.failures.subList(0, Math.min(3, callers.failures.size())));
    }
  }
}

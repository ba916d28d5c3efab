package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.exception.MeshStartupException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryContext;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryListener;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.DiscoverySource.Watch;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.EndpointView;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How the mesh applies what discovery sends: coalesced, off the source's thread, with health and a
 * startup wait.
 */
class DiscoveryUpdatesTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 80);

  /** One source feeding several services, publishing from the test's thread. */
  static class SharedSource implements DiscoverySource {
    final Map<ServiceName, DiscoveryListener> listeners = new ConcurrentHashMap<>();
    final CountDownLatch watched = new CountDownLatch(1);

    @Override
    public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
      listeners.put(service, listener);
      watched.countDown();
      return () -> listeners.remove(service);
    }

    void publish(String service, Endpoint... endpoints) {
      listeners
          .get(ServiceName.of(service))
          .onSnapshot(EndpointSnapshot.of(ServiceName.of(service), List.of(endpoints)));
    }

    void fail(String service, String why) {
      listeners.get(ServiceName.of(service)).onError(new java.io.IOException(why));
    }

    @Override
    public String describe() {
      return "shared";
    }
  }

  /** A balancer whose update() blocks until released and records the sizes it was given. */
  static final class GatedBalancer implements LoadBalancerFactory, LoadBalancer {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final List<Integer> updates = new CopyOnWriteArrayList<>();

    @Override
    public LoadBalancer create(ServiceName service, MeshClock clock) {
      return this;
    }

    @Override
    public String name() {
      return "gated";
    }

    @Override
    public <E extends EndpointView> E pick(List<E> candidates, PickContext context) {
      return candidates.get(0);
    }

    @Override
    public void update(List<? extends EndpointView> endpoints) {
      updates.add(endpoints.size());
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aBurstDuringASlowUpdateBecomesOneUpdateWithTheLastSnapshot() throws Exception {
    SharedSource source = new SharedSource();
    GatedBalancer gated = new GatedBalancer();
    try (Mesh mesh =
        Mesh.builder().service("mathoid", s -> s.discovery(source).loadBalancer(gated)).build()) {
      source.publish("mathoid", A);
      assertTrue(gated.entered.await(10, TimeUnit.SECONDS));
      // These arrive while the first update is still building its tables.
      source.publish("mathoid", A, B);
      source.publish("mathoid", A, B, C);
      source.publish("mathoid", B, C);
      gated.release.countDown();
      assertTrue(runtime(mesh, "mathoid").awaitUpdates(Duration.ofSeconds(10)));
      assertEquals(
          List.of(1, 2), gated.updates, "the three queued snapshots coalesce into the last one");
      assertEquals(List.of(B, C), mesh.endpoints("mathoid"));
    }
  }

  @Test
  void aServiceWithASlowUpdateHoldsUpNeitherTheSourceNorOtherServices() throws Exception {
    SharedSource source = new SharedSource();
    GatedBalancer gated = new GatedBalancer();
    try (Mesh mesh =
        Mesh.builder()
            .service("slow", s -> s.discovery(source).loadBalancer(gated))
            .service("fast", s -> s.discovery(source))
            .build()) {
      source.publish("slow", A);
      assertTrue(gated.entered.await(10, TimeUnit.SECONDS));
      // The source's thread is this one: it returns at once even though "slow" is stuck.
      source.publish("slow", A, B);
      source.publish("fast", C);
      assertTrue(runtime(mesh, "fast").awaitUpdates(Duration.ofSeconds(10)));
      assertEquals(List.of(C), mesh.endpoints("fast"));
      assertEquals(
          List.of(), mesh.endpoints("slow"), "the slow service's first set is not published yet");
      gated.release.countDown();
      assertTrue(runtime(mesh, "slow").awaitUpdates(Duration.ofSeconds(10)));
      assertEquals(List.of(A, B), mesh.endpoints("slow"));
    }
  }

  @Test
  void healthTracksAnswersErrorsAndStaleness() {
    ManualClock clock = new ManualClock();
    SharedSource source = new SharedSource();
    try (Mesh mesh =
        Mesh.builder().clock(clock).service("mathoid", s -> s.discovery(source)).build()) {
      DiscoveryHealth before = mesh.discoveryHealth("mathoid");
      assertEquals(DiscoveryHealth.Status.WAITING, before.status());
      assertEquals("shared", before.source());
      assertTrue(before.staleness(clock.now()).isEmpty());

      source.publish("mathoid", A);
      var answeredAt = clock.now();
      clock.advance(Duration.ofSeconds(30));
      source.fail("mathoid", "resolver timed out");
      DiscoveryHealth failing = mesh.discoveryHealth("mathoid");
      assertEquals(DiscoveryHealth.Status.FAILING, failing.status());
      assertEquals(Optional.of(answeredAt), failing.lastGoodAnswer());
      assertEquals(Optional.of("resolver timed out"), failing.lastError());
      assertEquals(Duration.ofSeconds(30), failing.staleness(clock.now()).orElseThrow());

      source.publish("mathoid", A);
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
      assertEquals(
          Duration.ZERO, mesh.discoveryHealth("mathoid").staleness(clock.now()).orElseThrow());
    }
  }

  @Test
  void buildCanWaitForTheFirstAnswerWithABound() throws Exception {
    SharedSource source = new SharedSource();
    Thread answerer =
        new Thread(
            () -> {
              try {
                source.watched.await();
              } catch (InterruptedException e) {
                return;
              }
              source.publish("mathoid", A);
            });
    answerer.start();
    try (Mesh mesh =
        Mesh.builder()
            .awaitDiscovery(Duration.ofSeconds(10))
            .service("mathoid", s -> s.discovery(source))
            .build()) {
      assertEquals(
          List.of(A),
          mesh.endpoints("mathoid"),
          "build() returned only once the answer was in use");
    }
    answerer.join();
  }

  @Test
  void buildFailsClearlyWhenDiscoveryDoesNotAnswerInTime() {
    SharedSource silent =
        new SharedSource() {
          @Override
          public Watch watch(
              ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
            listener.onError(new java.io.IOException("connection refused by 127.0.0.1:53"));
            return super.watch(service, listener, context);
          }
        };
    MeshStartupException e =
        assertThrows(
            MeshStartupException.class,
            () ->
                Mesh.builder()
                    .awaitDiscovery(Duration.ofMillis(50))
                    .service("mathoid", s -> s.discovery(silent))
                    .service("restbase", s -> s.endpoints("127.0.0.1:7231"))
                    .build());
    assertEquals(
        "discovery did not answer within PT0.05S: service 'mathoid' from shared"
            + " (last error: connection refused by 127.0.0.1:53)",
        e.getMessage());
    assertTrue(silent.listeners.isEmpty(), "the half-started mesh closed its watches");
  }

  @Test
  void withoutAWaitCallsFailUntilTheFirstAnswer() throws Exception {
    SharedSource source = new SharedSource();
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.discovery(source)).build()) {
      assertFalse(mesh.awaitDiscovery(Duration.ZERO));
      MeshException.NoHealthyEndpoints e =
          assertThrows(
              MeshException.NoHealthyEndpoints.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(new GetRequest("/"), RecordingExchange.allOk()));
      assertEquals(
          "service 'mathoid': no endpoints: discovery shared has not answered yet", e.getMessage());
      source.publish("mathoid", A);
      assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(10)));
      assertEquals(
          200, Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), RecordingExchange.allOk()));
      assertEquals(Optional.empty(), mesh.discoveryHealth("mathoid").lastError());
    }
  }

  private static dev.meshwork.core.internal.ServiceRuntime runtime(Mesh mesh, String service) {
    return Invokers.runtime(mesh, service);
  }
}

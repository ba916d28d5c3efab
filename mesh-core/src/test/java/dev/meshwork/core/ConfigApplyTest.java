package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ConfigStatus.ConfigError;
import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.exception.UnknownMeshHostException;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.spi.ServiceInvoker;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link MeshConfigurer#apply}: services added, changed and removed take effect for the next call,
 * calls in flight finish on what they started with, a bad candidate changes nothing, and {@link
 * Mesh#configStatus()} says what happened.
 */
class ConfigApplyTest {
  private static final Endpoint A = Endpoint.parse("10.0.0.1:80");
  private static final Endpoint B = Endpoint.parse("10.0.0.2:80");
  private static final Endpoint C = Endpoint.parse("10.0.0.3:80");

  private final ManualClock clock = new ManualClock();

  private static ServiceConfig service(String name, Endpoint... endpoints) {
    return ServiceConfig.builder(name).endpoints(endpoints).build();
  }

  private static Endpoint sentTo(Mesh mesh, String service) throws Exception {
    RecordingExchange exchange = RecordingExchange.allOk();
    Invokers.of(mesh, service).invoke(new GetRequest("/"), exchange);
    return exchange.sentTo.get(exchange.sentTo.size() - 1);
  }

  /** A transport whose attempts say they were sent, then answer 200 once {@code answer} opens. */
  private static ScriptedExchange held(CountDownLatch sent, CountDownLatch answer) {
    return new ScriptedExchange(
        (endpoint, attempt) -> {
          sent.countDown();
          try {
            answer.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return 200;
        });
  }

  @Test
  void aBuiltMeshIsGenerationOneFromTheBuilder() {
    try (Mesh mesh = Mesh.builder().clock(clock).service("mathoid", s -> s.endpoints(A)).build()) {
      assertEquals(
          new ConfigStatus("builder", "1", 1, clock.now(), Optional.empty()), mesh.configStatus());
      assertEquals(mesh.configStatus(), mesh.snapshot().configStatus());
    }
  }

  @Test
  void warningsBelongToTheConfigurationInUse() {
    try (Mesh mesh = Mesh.builder().clock(clock).service("mathoid", s -> s.endpoints(A)).build()) {
      MeshConfigurer configurer = MeshConfigurer.of(mesh);
      List<String> warnings = List.of("Cluster 'mathoid' health_checks[0]: not supported");
      configurer.apply(List.of(service("mathoid", A)), "xds", "v2", warnings);
      assertEquals(warnings, mesh.configStatus().warnings());
      assertEquals(warnings, mesh.snapshot().configStatus().warnings());

      assertThrows(
          MeshConfigException.class,
          () ->
              configurer.apply(
                  List.of(service("mathoid", A), service("mathoid", C)), "xds", "v3", List.of()));
      configurer.rejected("xds", "v4", "does not decode");
      assertEquals(
          warnings, mesh.configStatus().warnings(), "refusals keep the warnings of v2 in use");

      configurer.apply(List.of(service("mathoid", A)), "xds", "v5");
      assertEquals(List.of(), mesh.configStatus().warnings());
    }
  }

  @Test
  void addedChangedAndRemovedServicesTakeEffectForTheNextCall() throws Exception {
    PushedDiscovery citoidSource = new PushedDiscovery();
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .unknownHosts(UnknownHostPolicy.REFUSE_MESH_LIKE)
            .service("mathoid", s -> s.endpoints(A))
            .service("citoid", s -> s.discovery(citoidSource))
            .build()) {
      citoidSource.push(B);
      assertEquals(B, sentTo(mesh, "citoid"));
      clock.advance(Duration.ofSeconds(5));

      ConfigStatus status =
          MeshConfigurer.of(mesh)
              .apply(
                  List.of(
                      ServiceConfig.builder("mathoid")
                          .endpoints(A, C)
                          .retries(RetryPolicy.disabled())
                          .build(),
                      service("graphoid", C)),
                  "/etc/meshwork/mesh.yaml",
                  "v2");

      assertEquals(
          new ConfigStatus("/etc/meshwork/mesh.yaml", "v2", 2, clock.now(), Optional.empty()),
          status);
      assertEquals(status, mesh.configStatus());
      assertEquals(
          Set.of(new ServiceName("mathoid"), new ServiceName("graphoid")), mesh.services());
      assertEquals(RetryPolicy.disabled(), mesh.config("mathoid").retries());
      assertEquals(List.of(A, C), mesh.endpoints("mathoid"), "the new static list is in use");
      assertEquals(C, sentTo(mesh, "graphoid"), "an added static service answers at once");
      assertNull(Invokers.of(mesh, "citoid"), "a removed service is no service");
      assertThrows(
          UnknownMeshHostException.class,
          () -> Invokers.context(mesh).admitUnknownHost("citoid"),
          "the mesh's unknown-host policy applies to it");
      assertTrue(citoidSource.closed.get(), "the removed service's discovery stopped");
      assertThrows(IllegalArgumentException.class, () -> mesh.config("citoid"));
    }
  }

  @Test
  void aCallInFlightFinishesOnTheServiceItStartedWith() throws Exception {
    try (Mesh mesh = Mesh.builder().service("citoid", s -> s.endpoints(A)).build()) {
      ServiceInvoker before = Invokers.of(mesh, "citoid");
      CountDownLatch sent = new CountDownLatch(1);
      CountDownLatch answer = new CountDownLatch(1);
      ScriptedExchange slow = held(sent, answer);
      CompletableFuture<Integer> inFlight =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return before.invoke(new GetRequest("/"), slow);
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      assertTrue(sent.await(10, TimeUnit.SECONDS));

      MeshConfigurer.of(mesh).apply(List.of(service("mathoid", B)), "test", "2");
      assertNull(Invokers.of(mesh, "citoid"));
      answer.countDown();

      assertEquals(200, inFlight.get(10, TimeUnit.SECONDS));
      assertEquals(List.of(A), slow.sentTo);
    }
  }

  @Test
  void aServiceAddedBackWhileItsEarlierSelfDrainsHasMetersOfItsOwn() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Mesh mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().meterRegistry(registry).build())
            .service("citoid", s -> s.endpoints(A))
            .build()) {
      CountDownLatch sent = new CountDownLatch(1);
      CountDownLatch answer = new CountDownLatch(1);
      ServiceInvoker before = Invokers.of(mesh, "citoid");
      CompletableFuture<Integer> inFlight =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return before.invoke(new GetRequest("/"), held(sent, answer));
                } catch (Exception e) {
                  throw new AssertionError(e);
                }
              });
      assertTrue(sent.await(10, TimeUnit.SECONDS));
      MeshConfigurer.of(mesh).apply(List.of(), "test", "2"); // citoid drains: one attempt left

      MeshConfigurer.of(mesh).apply(List.of(service("citoid", B, C)), "test", "3");
      assertEquals(
          2.0,
          registry.get("mesh.endpoints.total").tag("mesh.service", "citoid").gauge().value(),
          "the gauge reads the citoid in the mesh, not the one draining");
      answer.countDown();
      assertEquals(200, inFlight.get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aServiceWhoseConfigIsEqualIsLeftAsItIs() throws Exception {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(A, B)).build()) {
      ServiceInvoker before = Invokers.of(mesh, "mathoid");
      MeshConfigurer.of(mesh).apply(List.of(service("mathoid", A, B)), "test", "2");
      assertSame(before, Invokers.of(mesh, "mathoid"));
      assertEquals(2, mesh.configStatus().generation());
    }
  }

  @Test
  void aBadCandidateChangesNothingAndIsRecordedUntilAGoodOneApplies() throws Exception {
    PushedDiscovery next = new PushedDiscovery();
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service("mathoid", s -> s.endpoints(A))
            .service("citoid", s -> s.endpoints(B))
            .service("graphoid", s -> s.endpoints(C))
            .build()) {
      ServiceInvoker mathoid = Invokers.of(mesh, "mathoid");
      ServiceInvoker citoid = Invokers.of(mesh, "citoid");
      ServiceInvoker graphoid = Invokers.of(mesh, "graphoid");
      clock.advance(Duration.ofSeconds(1));

      MeshConfigException refused =
          assertThrows(
              MeshConfigException.class,
              () ->
                  MeshConfigurer.of(mesh)
                      .apply(
                          List.of(
                              ServiceConfig.builder("mathoid").discovery(next).build(),
                              ServiceConfig.builder("citoid")
                                  .endpoints(B)
                                  .retries(RetryPolicy.disabled())
                                  .build(),
                              ServiceConfig.builder("graphoid")
                                  .endpoints(C)
                                  .tls(TlsMode.MUTUAL)
                                  .build()),
                          "mesh.yaml",
                          "v2"));

      assertEquals(
          "service 'graphoid' tls: 'MUTUAL' is invalid; expected a mesh with peer security"
              + " (Mesh.builder().security(...)) or tls DISABLED",
          refused.getMessage());
      assertSame(mathoid, Invokers.of(mesh, "mathoid"));
      assertSame(citoid, Invokers.of(mesh, "citoid"));
      assertSame(graphoid, Invokers.of(mesh, "graphoid"));
      assertFalse(next.closed.get() || next.watched(), "nothing was started for the refused one");
      ConfigStatus status = mesh.configStatus();
      assertEquals(1, status.generation());
      assertEquals("builder", status.source());
      assertEquals(
          Optional.of(new ConfigError("mesh.yaml", "v2", refused.getMessage(), clock.now())),
          status.lastError());

      MeshConfigurer.of(mesh)
          .rejected("mesh.yaml", "v3", "mesh.yaml line 4, column 3: unknown field 'retriez'");
      assertEquals(
          "mesh.yaml line 4, column 3: unknown field 'retriez'",
          mesh.configStatus().lastError().map(ConfigError::message).orElseThrow());
      assertEquals(1, mesh.configStatus().generation());

      MeshConfigurer.of(mesh)
          .apply(List.of(service("mathoid", A), service("citoid", B)), "mesh.yaml", "v4");
      assertEquals(Optional.empty(), mesh.configStatus().lastError());
      assertEquals(2, mesh.configStatus().generation());
    }
  }

  @Test
  void everyRuleTheBuilderChecksRefusesTheWholeCandidate() {
    DiscoverySource broken =
        new DiscoverySource() {
          @Override
          public Watch watch(
              ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
            throw new IllegalStateException("registry unreachable");
          }

          @Override
          public String describe() {
            return "broken registry";
          }
        };
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(A)).build()) {
      ServiceInvoker before = Invokers.of(mesh, "mathoid");
      MeshConfigurer configurer = MeshConfigurer.of(mesh);
      assertEquals(
          "service: 'citoid' is invalid; expected each service name to be configured once",
          assertThrows(
                  MeshConfigException.class,
                  () ->
                      configurer.apply(
                          List.of(service("citoid", A), service("citoid", B)), "test", "2"))
              .getMessage());
      assertEquals(
          "service 'citoid' peerIdentities: '[spiffe://meshwork/ns/default/sa/citoid]' is invalid;"
              + " expected no peer identities for a plaintext service; they need tls MUTUAL",
          assertThrows(
                  MeshConfigException.class,
                  () ->
                      configurer.apply(
                          List.of(
                              ServiceConfig.builder("citoid")
                                  .endpoints(A)
                                  .peerIdentities("spiffe://meshwork/ns/default/sa/citoid")
                                  .build()),
                          "test",
                          "3"))
              .getMessage());
      assertEquals(
          "service 'citoid' discovery: 'broken registry' is invalid; expected a source that"
              + " starts watching; watch() threw java.lang.IllegalStateException: registry"
              + " unreachable",
          assertThrows(
                  MeshConfigException.class,
                  () ->
                      configurer.apply(
                          List.of(
                              service("mathoid", B),
                              ServiceConfig.builder("citoid").discovery(broken).build()),
                          "test",
                          "4"))
              .getMessage());
      assertSame(before, Invokers.of(mesh, "mathoid"));
      assertEquals(List.of(A), mesh.endpoints("mathoid"));
      assertEquals(Set.of(new ServiceName("mathoid")), mesh.services());
      assertEquals(1, mesh.configStatus().generation());
      assertEquals("4", mesh.configStatus().lastError().orElseThrow().version());
    }
  }

  @Test
  void aNewSourceTakesOverOnlyOnceItAnswers() throws Exception {
    PushedDiscovery old = new PushedDiscovery();
    PushedDiscovery next = new PushedDiscovery();
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.discovery(old)).build()) {
      old.push(A);
      MeshConfigurer.of(mesh)
          .apply(List.of(ServiceConfig.builder("mathoid").discovery(next).build()), "test", "2");

      assertEquals(A, sentTo(mesh, "mathoid"), "the old endpoints serve until the new answers");
      DiscoveryHealth waiting = mesh.discoveryHealth("mathoid");
      assertEquals(DiscoveryHealth.Status.WAITING, waiting.status());
      assertEquals(
          "pushed (not answered yet; the endpoints of pushed stay in use until it does)",
          waiting.source());
      assertFalse(old.closed.get());
      old.push(B); // the old source still keeps them current meanwhile
      assertEquals(B, sentTo(mesh, "mathoid"));

      next.push(C);
      assertEquals(C, sentTo(mesh, "mathoid"));
      assertTrue(old.closed.get(), "the old watch closes once the new source answered");
      assertEquals(DiscoveryHealth.Status.HEALTHY, mesh.discoveryHealth("mathoid").status());

      MeshConfigurer.of(mesh).apply(List.of(service("mathoid", A)), "test", "3");
      assertEquals(A, sentTo(mesh, "mathoid"), "a static source answers inside the swap");
      assertTrue(next.closed.get());
    }
  }

  @Test
  void replacingRoutesKeepsTheConfigStatus() {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(A)).build()) {
      ConfigStatus before = mesh.configStatus();
      RouteTable table = RouteTable.builder().route("render", r -> r.pathPrefix("/render")).build();
      mesh.replaceRoutes("mathoid", table);
      assertEquals(table, mesh.routes("mathoid"));
      assertEquals(before, mesh.configStatus());
      assertNotNull(Invokers.of(mesh, "mathoid"));
    }
  }

  @Test
  void aClosedMeshAppliesNothing() {
    Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(A)).build();
    mesh.close();
    assertThrows(
        IllegalStateException.class,
        () -> MeshConfigurer.of(mesh).apply(List.of(service("mathoid", B)), "test", "2"));
  }
}

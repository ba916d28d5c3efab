package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshBuilder.UnknownHostPolicy;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link Mesh#snapshot()}: the mesh as it was when taken, and never changed afterwards. */
class MeshSnapshotTest {
  private static final Endpoint B = Endpoint.of("127.0.0.1", 9002);
  private static final Endpoint CANARY =
      Endpoint.builder("127.0.0.1", 9003).label("version", "v2").build();

  private final ManualClock clock = new ManualClock();

  @Test
  void aSnapshotShowsEndpointsEjectionBreakerAndDecisionsAsTheyWereWhenTaken() throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .decisions(16)
            .service(
                "mathoid",
                s ->
                    s.endpoints(B)
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(2)
                                .consecutiveGatewayFailures(2)
                                .build())
                        .circuitBreaker(
                            CircuitBreakerPolicy.builder()
                                .minimumCalls(2)
                                .failureRateThreshold(50)
                                .build()))
            .build()) {
      MeshSnapshot before = mesh.snapshot();
      // Two attempts (the default retry policy), both 503: the second makes a streak of 2 and
      // ejects.
      assertEquals(
          503,
          Invokers.of(mesh, "mathoid")
              .invoke(new GetRequest("/"), new RecordingExchange(Map.of(B.address(), 503), null)));
      MeshSnapshot after = mesh.snapshot();

      MeshSnapshot.Service was = before.service("mathoid");
      assertEquals(List.of(B), was.endpoints().stream().map(EndpointStatus::endpoint).toList());
      assertFalse(was.endpoints().get(0).ejected());
      assertEquals(0, was.endpoints().get(0).failures());
      assertEquals("CLOSED", was.breaker());
      assertFalse(was.panic());
      assertTrue(was.discovered());
      assertEquals(List.of(), before.decisions());
      assertEquals(16, before.decisionCapacity());

      MeshSnapshot.Service is = after.service("mathoid");
      EndpointStatus ejected = is.endpoints().get(0);
      assertTrue(ejected.ejected());
      assertFalse(ejected.usable());
      assertEquals(Duration.ofSeconds(30), ejected.ejectionRemaining());
      assertEquals(2, ejected.failures());
      assertEquals("OPEN", is.breaker());
      assertTrue(is.panic(), "0 of 1 endpoints usable is below the 50% panic threshold");
      assertEquals(
          List.of("EJECTION", "PICK", "RETRY", "PICK"),
          after.decisions().stream().map(MeshSnapshot.Decision::kind).toList(),
          "newest first");
      assertEquals(Optional.of(B), after.decisions().get(0).endpoint());
      assertEquals(4, after.decisionsRecorded());
      assertEquals(clock.now(), after.time());
    }
  }

  /**
   * Every decision about one call carries that call's number, so a reader (mesh-test's call traces,
   * an operator reading /decisions) can tell one call's route, picks and retries from another's; a
   * sweep's ejection belongs to no call.
   */
  @Test
  void decisionsCarryTheNumberOfTheirCall() throws Exception {
    Endpoint a = Endpoint.of("127.0.0.1", 9001);
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .decisions(64)
            .service(
                "mathoid",
                s ->
                    s.endpoints(a, B)
                        .loadBalancer(dev.meshwork.core.balancer.LoadBalancers.roundRobin())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(1)
                                .interval(Duration.ofHours(1))
                                .build()))
            .build()) {
      RecordingExchange exchange = new RecordingExchange(Map.of(B.address(), 503), null);
      for (int i = 0; i < 2; i++) {
        Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), exchange);
      }
      clock.advance(Duration.ofSeconds(30));
      Invokers.runtime(mesh, "mathoid").outliers().sweep();

      List<String> byCall = new ArrayList<>();
      for (MeshSnapshot.Decision d : mesh.snapshot().decisions()) {
        byCall.add(0, d.call().isPresent() ? d.call().getAsLong() + " " + d.kind() : d.kind());
      }
      assertEquals(
          List.of("0 PICK", "1 PICK", "1 EJECTION", "1 RETRY", "1 PICK", "EJECTION"),
          byCall,
          "call 0 answered; call 1 got a 503, which ejected B, and was retried; then a sweep");
    }
  }

  @Test
  void aRouteSwapShowsInLaterSnapshotsOnly() {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints(B, CANARY)).build()) {
      MeshSnapshot before = mesh.snapshot();
      RouteTable canary =
          RouteTable.builder()
              .subset("v2", "version", "v2")
              .route(Route.builder("canary").pathPrefix("/").to("v2").build())
              .build();
      mesh.replaceRoutes("mathoid", canary);
      MeshSnapshot after = mesh.snapshot();

      assertEquals(List.of(), before.service("mathoid").routes().routes());
      assertEquals(List.of(), before.service("mathoid").subsets());
      assertEquals(canary, after.service("mathoid").routes());
      MeshSnapshot.SubsetMembers v2 = after.service("mathoid").subsets().get(0);
      assertEquals("v2", v2.name());
      assertEquals(List.of(CANARY), v2.members());
      assertEquals(1, v2.candidates());
    }
  }

  @Test
  void aSnapshotCannotBeChangedAndNamesItsSettings() {
    PushedDiscovery pushed = new PushedDiscovery();
    try (Mesh mesh =
        Mesh.builder()
            .localZone("eqiad-a")
            .service("citoid", s -> s.endpoints(B))
            .service("mathoid", s -> s.discovery(pushed))
            .build()) {
      MeshSnapshot snapshot = mesh.snapshot();
      assertEquals(
          List.of("citoid", "mathoid"),
          snapshot.services().stream().map(s -> s.name().value()).toList());
      assertFalse(snapshot.ready(), "mathoid's discovery has not answered");
      assertFalse(snapshot.service("mathoid").discovered());
      assertEquals("eqiad-a", snapshot.localZone());
      assertEquals(Optional.empty(), snapshot.localIdentity());
      assertEquals(Optional.empty(), snapshot.security());
      assertEquals(UnknownHostPolicy.PASS_THROUGH, snapshot.unknownHosts());
      assertFalse(snapshot.telemetry());
      assertEquals(0, snapshot.decisionCapacity(), "no decisions are kept unless the builder asks");
      assertEquals(Optional.empty(), snapshot.service("citoid").certificate());
      assertEquals(mesh.config("citoid"), snapshot.service("citoid").config());

      assertThrows(UnsupportedOperationException.class, () -> snapshot.services().clear());
      assertThrows(UnsupportedOperationException.class, () -> snapshot.decisions().clear());
      assertThrows(UnsupportedOperationException.class, () -> snapshot.meshDomains().clear());
      assertThrows(
          UnsupportedOperationException.class,
          () -> snapshot.service("citoid").endpoints().clear());
      assertThrows(
          UnsupportedOperationException.class,
          () -> snapshot.service("citoid").expectedPeers().add("x"));
      assertThrows(
          UnsupportedOperationException.class, () -> snapshot.service("citoid").subsets().clear());
      IllegalArgumentException unknown =
          assertThrows(IllegalArgumentException.class, () -> snapshot.service("biling"));
      assertTrue(unknown.getMessage().contains("biling"), unknown.getMessage());

      pushed.push(B);
      assertTrue(mesh.snapshot().ready());
      assertFalse(snapshot.ready(), "an earlier snapshot does not change");
    }
  }

  @Test
  void decisionsOutOfRangeAreRefusedNamingTheField() {
    MeshConfigException refused =
        assertThrows(MeshConfigException.class, () -> Mesh.builder().decisions(-1));
    assertEquals("decisions", refused.field());
    assertThrows(
        MeshConfigException.class, () -> Mesh.builder().decisions(MeshBuilder.MAX_DECISIONS + 1));
  }
}

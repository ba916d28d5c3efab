package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryBudget;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.policy.ZoneAwareness;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.HeaderMatch;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.security.TlsMode;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.core.telemetry.Telemetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * "Off" is a disabled policy, "absent" is an empty Optional, never null; the effective config says
 * "disabled".
 */
class OffConventionTest {

  @Test
  void anUnconfiguredServiceReadsDisabledPoliciesAndEmptyOptionals() {
    ServiceConfig config = ServiceConfig.builder("mathoid").endpoints("127.0.0.1:1").build();
    assertEquals(SlowStart.disabled(), config.slowStart());
    assertFalse(config.slowStart().enabled());
    assertFalse(config.healthCheck().enabled());
    assertEquals(Optional.empty(), config.hedgeDelay());
    assertEquals(Optional.empty(), config.tls());
    String text = config.toString();
    assertTrue(text.contains("SlowStart{disabled}"), text);
    assertTrue(text.contains("HealthCheck{disabled}"), text);
    assertTrue(text.contains("hedging=disabled"), text);
    assertTrue(text.contains("tls=mesh default"), text);
    String optedOut =
        ServiceConfig.builder("mathoid")
            .endpoints("127.0.0.1:1")
            .zoneAware(ZoneAwareness.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .outlierDetection(OutlierDetection.disabled())
            .retries(RetryPolicy.disabled())
            .build()
            .toString();
    for (String off :
        List.of(
            "ZoneAwareness{disabled}",
            "CircuitBreaker{disabled}",
            "OutlierDetection{disabled}",
            "RetryPolicy{disabled: one attempt}")) {
      assertTrue(optedOut.contains(off), optedOut);
    }
  }

  @Test
  void configuredValuesAreReadBack() {
    ServiceConfig config =
        ServiceConfig.builder("mathoid")
            .endpoints("127.0.0.1:1")
            .hedging(Duration.ofMillis(50))
            .tls(TlsMode.DISABLED)
            .retryBudget(RetryBudget.disabled())
            .build();
    assertEquals(Optional.of(Duration.ofMillis(50)), config.hedgeDelay());
    assertEquals(Optional.of(TlsMode.DISABLED), config.tls());
    assertFalse(config.retryBudget().enabled());
    assertTrue(config.toString().contains("RetryBudget{disabled}"), config.toString());
  }

  @Test
  void routingAndTimeoutsReadAbsentValuesAsEmpty() {
    assertEquals(Optional.empty(), Timeouts.defaults().perTry());
    assertEquals(Optional.empty(), Timeouts.defaults().deadline());
    Route plain = Route.builder("main").build();
    assertEquals(Optional.empty(), plain.path());
    assertEquals(Optional.empty(), plain.mirror());
    assertEquals(Optional.empty(), plain.fault());
    Fault abort = Fault.builder().abortStatus(503, 100).build();
    assertEquals(Optional.empty(), abort.delay());
    assertEquals(Optional.empty(), abort.triggerHeader());
    RouteTable table = RouteTable.builder().route(plain).build();
    assertEquals(Optional.of(plain), table.route("main"));
    assertEquals(Optional.empty(), table.route("canary"));
    assertEquals(Optional.empty(), Endpoint.parse("127.0.0.1:1").label("version"));
  }

  @Test
  void buildersRejectNullNamingTheSetting() {
    ServiceConfig.Builder builder = ServiceConfig.builder("mathoid");
    NullPointerException hedging =
        assertThrows(NullPointerException.class, () -> builder.hedging(null));
    assertTrue(hedging.getMessage().contains("hedging"), hedging.getMessage());
    assertThrows(NullPointerException.class, () -> builder.slowStart((SlowStart) null));
    assertThrows(NullPointerException.class, () -> builder.healthCheck(null));
    assertThrows(NullPointerException.class, () -> builder.tls(null));
    assertThrows(NullPointerException.class, () -> builder.timeout(null));
    assertThrows(NullPointerException.class, () -> builder.perTryTimeout(null));
    assertThrows(NullPointerException.class, () -> Mesh.builder().localZone(null));
  }

  @Test
  void callOptionsReadWhatIsNotSetAsEmpty() {
    CallOptions none = CallOptions.NONE;
    assertEquals(Optional.empty(), none.timeout());
    assertEquals(Optional.empty(), none.perTryTimeout());
    assertEquals(OptionalInt.empty(), none.maxAttempts());
    assertEquals(Optional.empty(), none.retryOn());
    assertEquals(Optional.empty(), none.idempotent());
    assertEquals(Optional.empty(), none.hedgeDelay());
    CallOptions set =
        CallOptions.builder()
            .timeout(Duration.ofMillis(800))
            .maxAttempts(1)
            .retryOn(Set.of())
            .idempotent(false)
            .build();
    assertEquals(Optional.of(Duration.ofMillis(800)), set.timeout());
    assertEquals(OptionalInt.of(1), set.maxAttempts());
    assertEquals(Optional.of(Set.of()), set.retryOn());
    assertEquals(Optional.of(false), set.idempotent());
    assertEquals(Optional.empty(), set.hedgeDelay());
  }

  @Test
  void aFailureBeforeAnEndpointWasPickedHasNoEndpoint() {
    ServiceName mathoid = ServiceName.of("mathoid");
    assertEquals(
        Optional.empty(), new MeshException.NoHealthyEndpoints(mathoid, "no answer").endpoint());
    Endpoint endpoint = Endpoint.parse("127.0.0.1:1");
    assertEquals(
        Optional.of(endpoint),
        new MeshException.EndpointFailed(mathoid, endpoint, new IOException("reset")).endpoint());
  }

  @Test
  void aSnapshotReadsWhatAServiceHasNotAsEmpty() {
    try (Mesh mesh =
        Mesh.builder()
            .decisions(16)
            .service("mathoid", s -> s.discovery(new PushedDiscovery()))
            .build()) {
      MeshSnapshot.Service service = mesh.snapshot().service("mathoid");
      assertEquals(Optional.empty(), service.certificate(), "no TLS");
      assertEquals(Optional.empty(), service.endpointSetUpdatedAt(), "discovery has not answered");
    }
  }

  @Test
  void discoveryHealthAndHeaderMatchesReadWhatNeverHappenedAsEmpty() {
    DiscoveryHealth waiting = DiscoveryHealth.waiting("static");
    assertEquals(Optional.empty(), waiting.lastGoodAnswer());
    assertEquals(Optional.empty(), waiting.lastErrorAt());
    assertEquals(Optional.empty(), waiting.lastError());
    Instant at = Instant.EPOCH;
    DiscoveryHealth failing = waiting.failed(at, "resolver timed out");
    assertEquals(Optional.of(at), failing.lastErrorAt());
    assertEquals(Optional.of("resolver timed out"), failing.lastError());
    assertEquals(Optional.empty(), failing.lastGoodAnswer());
    assertEquals(
        Optional.of("static: resolver timed out"),
        DiscoveryHealth.combine("merged", List.of(failing, waiting.answered(at))).lastError());
    assertEquals(Optional.empty(), HeaderMatch.present("x-canary").value());
    assertEquals(Optional.of("always"), HeaderMatch.exact("x-canary", "always").value());
  }

  @Test
  void theMeshHasNoNullAccessors() {
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("127.0.0.1:1")).build()) {
      assertEquals(Optional.empty(), mesh.security());
      assertEquals(Telemetry.disabled(), mesh.telemetry());
      assertFalse(mesh.telemetry().enabled());
      assertEquals(Optional.empty(), mesh.localZone());
    }
  }
}

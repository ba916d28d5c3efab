package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.ServiceInvoker;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The core pipeline with a network-free transport: resolve, pick, send, record. */
class PipelineTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 80);

  private final ManualClock clock = new ManualClock();
  private final PushedDiscovery discovery = new PushedDiscovery();

  private Mesh mesh() {
    return Mesh.builder()
        .clock(clock)
        // Retries would add attempts the balancing and recording assertions here do not expect;
        // RetryStageTest covers them.
        .service(
            "mathoid",
            s ->
                s.discovery(discovery)
                    .loadBalancer(LoadBalancers.roundRobin())
                    .retries(RetryPolicy.disabled()))
        .build();
  }

  @Test
  void roundRobinVisitsEveryEndpointInTurn() throws IOException {
    try (Mesh mesh = mesh()) {
      discovery.push(A, B, C);
      RecordingExchange exchange = RecordingExchange.allOk();
      for (int i = 0; i < 9; i++) {
        assertEquals(200, Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), exchange));
      }
      assertEquals(List.of(A, B, C, A, B, C, A, B, C), exchange.sentTo);
    }
  }

  @Test
  void beforeDiscoveryAnswersCallsFailNamingServiceAndSource() {
    try (Mesh mesh = mesh()) {
      MeshException.NoHealthyEndpoints e =
          assertThrows(
              MeshException.NoHealthyEndpoints.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(new GetRequest("/"), RecordingExchange.allOk()));
      assertEquals(
          "service 'mathoid': no endpoints: discovery pushed has not answered yet", e.getMessage());
      assertEquals(ServiceName.of("mathoid"), e.service());
    }
  }

  @Test
  void anEmptyAnswerIsReportedWithItsTime() {
    try (Mesh mesh = mesh()) {
      discovery.push();
      MeshException.NoHealthyEndpoints e =
          assertThrows(
              MeshException.NoHealthyEndpoints.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(new GetRequest("/"), RecordingExchange.allOk()));
      assertEquals(
          "service 'mathoid': no endpoints: discovery pushed lists none (since 2026-01-01T00:00:00Z)",
          e.getMessage());
    }
  }

  @Test
  void aDiscoveryErrorKeepsTheLastGoodEndpoints() throws IOException {
    try (Mesh mesh = mesh()) {
      discovery.push(A, B);
      discovery.fail("resolver timed out");
      assertEquals(List.of(A, B), mesh.endpoints("mathoid"));
      RecordingExchange exchange = RecordingExchange.allOk();
      Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), exchange);
      assertEquals(List.of(A), exchange.sentTo);
    }
  }

  @Test
  void transportErrorsNameServiceAndEndpointAndKeepTheCause() {
    try (Mesh mesh = mesh()) {
      discovery.push(A);
      RecordingExchange refusing = new RecordingExchange(Map.of(), A.address());
      MeshException.EndpointFailed e =
          assertThrows(
              MeshException.EndpointFailed.class,
              () -> Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), refusing));
      assertEquals(
          "service 'mathoid' endpoint 10.0.0.1:80: ConnectException: Connection refused",
          e.getMessage());
      assertEquals(Optional.of(A), e.endpoint());
      assertTrue(e.getCause() instanceof java.net.ConnectException);
    }
  }

  @Test
  void outcomesAreRecordedPerEndpointAndSurviveUpdates() throws IOException {
    try (Mesh mesh = mesh()) {
      discovery.push(A, B);
      ServiceInvoker invoker = Invokers.of(mesh, "mathoid");
      RecordingExchange exchange = new RecordingExchange(Map.of(B.address(), 503), null);
      for (int i = 0; i < 4; i++) {
        invoker.invoke(new GetRequest("/"), exchange);
      }
      Endpoint reweighted = A.toBuilder().weight(5).label("version", "v2").build();
      clock.advance(Duration.ofSeconds(1));
      discovery.push(reweighted, C);

      Map<String, String> stats = new TreeMap<>();
      for (EndpointState state : Invokers.runtime(mesh, "mathoid").endpointSet().states()) {
        stats.put(
            state.endpoint().toString(),
            state.stats().successes()
                + " ok, "
                + state.stats().failures()
                + " failed, "
                + state.activeRequests()
                + " active");
      }
      assertEquals(
          Map.of(
              "10.0.0.1:80 weight=5 labels={version=v2}", "2 ok, 0 failed, 0 active",
              "10.0.0.3:80", "0 ok, 0 failed, 0 active"),
          stats);
      assertEquals(2, Invokers.runtime(mesh, "mathoid").endpointSet().version());
    }
  }

  @Test
  void closingStopsDiscoveryAndRefusesCalls() {
    Mesh mesh = mesh();
    discovery.push(A);
    ServiceInvoker invoker =
        Invokers.of(mesh, "mathoid"); // a transport holds its invoker across close
    mesh.close();
    assertTrue(discovery.closed.get());
    MeshException.Closed e =
        assertThrows(
            MeshException.Closed.class,
            () -> invoker.invoke(new GetRequest("/"), RecordingExchange.allOk()));
    assertEquals("service 'mathoid': the mesh is closed", e.getMessage());
  }
}

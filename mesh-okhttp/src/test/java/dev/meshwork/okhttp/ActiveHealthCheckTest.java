package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.HealthCheck;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * Active health checks against real WireMock servers: an endpoint failing its checks leaves and
 * comes back.
 */
class ActiveHealthCheckTest {

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    Backends.await(condition, Duration.ofSeconds(10), () -> what);
  }

  private static boolean healthy(Mesh mesh, int port) {
    return mesh.endpointStatus("mathoid").stream()
        .filter(s -> s.endpoint().port() == port)
        .findFirst()
        .map(EndpointStatus::healthy)
        .orElseThrow();
  }

  private static Set<String> servedBy(OkHttpClient client, int calls) throws Exception {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < calls; i++) {
      names.add(MeshOkHttpTest.get(client, "http://mathoid/render"));
    }
    return names;
  }

  @Test
  void anEndpointFailingItsChecksLeavesBalancingAndReturnsWhenItPasses() throws Exception {
    try (ThreeBackends backends = new ThreeBackends();
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(backends.addresses())
                            .loadBalancer(LoadBalancers.roundRobin())
                            .healthCheck(
                                HealthCheck.http("/healthz")
                                    .interval(Duration.ofMillis(50))
                                    .timeout(Duration.ofSeconds(1))
                                    .unhealthyThreshold(2)
                                    .healthyThreshold(2)
                                    .build()))
                .build()) {
      int sick = backends.get(1).port();
      backends
          .get(1)
          .stubFor(
              get(urlEqualTo("/healthz")).atPriority(1).willReturn(aResponse().withStatus(503)));
      OkHttpClient client =
          MeshOkHttp.of(mesh).client(); // the transport registers the prober: checks start
      assertTrue(healthy(mesh, sick), "endpoints start healthy");

      await("backend-2 fails its checks", () -> !healthy(mesh, sick));
      assertEquals(
          Set.of("backend-1", "backend-3"),
          servedBy(client, 12),
          "an unhealthy endpoint gets no calls");
      assertTrue(healthy(mesh, backends.get(0).port()), "passing endpoints stay in");

      backends
          .get(1)
          .stubFor(
              get(urlEqualTo("/healthz")).atPriority(1).willReturn(aResponse().withStatus(200)));
      await("backend-2 passes again", () -> healthy(mesh, sick));
      assertEquals(Set.of("backend-1", "backend-2", "backend-3"), servedBy(client, 12));

      // Probes dial the endpoint directly but keep the service's logical authority.
      backends
          .get(1)
          .verify(
              getRequestedFor(urlEqualTo("/healthz"))
                  .withHeader("Host", equalTo("mathoid"))
                  .withHeader("User-Agent", equalTo("meshwork-health-check")));
    }
  }

  @Test
  void aStoppedEndpointFailsItsChecks() throws Exception {
    try (ThreeBackends backends = new ThreeBackends();
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(backends.addresses())
                            .healthCheck(
                                HealthCheck.http("/healthz")
                                    .interval(Duration.ofMillis(50))
                                    .timeout(Duration.ofMillis(500))
                                    .unhealthyThreshold(1)
                                    .build()))
                .build()) {
      MeshOkHttp.of(mesh);
      int stopped = backends.get(2).port();
      backends.get(2).stop();
      await("the stopped backend is found unhealthy", () -> !healthy(mesh, stopped));
      assertTrue(healthy(mesh, backends.get(0).port()), "the running backends pass");
    }
  }
}

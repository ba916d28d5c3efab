package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Once maxEjectionPercent refuses an ejection, the detector stops trying until something could
 * change the answer: here endpoints join and the cap grows, so the refused endpoint is ejected at
 * its next failure. (An ejection that ends is covered in OutlierDetectionTest.)
 */
class EjectionCapUpdatesTest {
  private final ManualClock clock = new ManualClock();
  private final ScriptedExchange exchange =
      new ScriptedExchange(
          (endpoint, attempt) ->
              endpoint.address().equals("10.0.0.1:80") || endpoint.address().equals("10.0.0.2:80")
                  ? 500
                  : 200);

  private static Endpoint[] endpoints(int count) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(i -> Endpoint.of("10.0.0." + i, 80))
        .toArray(Endpoint[]::new);
  }

  private void call(Mesh mesh, int times) {
    for (int i = 0; i < times; i++) {
      try {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      } catch (java.io.IOException expected) {
        // scripted failures: the detector counts them
      }
    }
  }

  private static Set<String> ejected(Mesh mesh) {
    return mesh.endpointStatus("mathoid").stream()
        .filter(EndpointStatus::ejected)
        .map(s -> s.endpoint().address())
        .collect(Collectors.toSet());
  }

  @Test
  void endpointsJoiningLiftTheCapForTheRefusedEndpoint() {
    PushedDiscovery discovery = new PushedDiscovery();
    try (CapturedLogs logs = CapturedLogs.of(OutlierDetector.class);
        Mesh mesh =
            Mesh.builder()
                .clock(clock)
                .service(
                    "mathoid",
                    s ->
                        s.discovery(discovery)
                            .loadBalancer(LoadBalancers.roundRobin())
                            .retries(RetryPolicy.disabled())
                            .circuitBreaker(CircuitBreakerPolicy.disabled())
                            .outlierDetection(
                                OutlierDetection.builder().interval(Duration.ofHours(1)).build()))
                .build()) {
      discovery.push(endpoints(10));
      call(mesh, 200);
      assertEquals(Set.of("10.0.0.1:80"), ejected(mesh), "10% of 10");
      assertEquals(
          1, logs.containing("maxEjectionPercent 10.0% reached").size(), logs.lines().toString());

      discovery.push(endpoints(20)); // 10% of 20 allows a second ejection
      call(mesh, 20);
      assertEquals(Set.of("10.0.0.1:80", "10.0.0.2:80"), ejected(mesh));
      assertEquals(3, logs.lines().size(), "two ejections and one refusal: " + logs.lines());
    }
  }
}

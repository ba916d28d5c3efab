package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.CapturedLogs;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.internal.ServiceRuntime;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Ejection and return with Envoy's semantics, on a manual clock. Sweeps are run by hand; the
 * scheduled ones are an hour apart so they never interfere.
 */
class OutlierDetectionTest {
  private final ManualClock clock = new ManualClock();

  /** Status per endpoint address; absent means 200, -1 means connection refused. */
  private final Map<String, Integer> statusByAddress = new ConcurrentHashMap<>();

  private final ScriptedExchange exchange =
      new ScriptedExchange(
          (endpoint, attempt) -> {
            int status = statusByAddress.getOrDefault(endpoint.address(), 200);
            if (status < 0) {
              throw new ConnectException("Connection refused");
            }
            return status;
          });

  private Mesh mesh(int endpoints, OutlierDetection.Builder detection) {
    String[] addresses =
        IntStream.rangeClosed(1, endpoints)
            .mapToObj(i -> "10.0.0." + i + ":80")
            .toArray(String[]::new);
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s ->
                s.endpoints(addresses)
                    .loadBalancer(LoadBalancers.roundRobin())
                    .retries(RetryPolicy.disabled())
                    .circuitBreaker(CircuitBreakerPolicy.disabled())
                    .outlierDetection(detection.interval(Duration.ofHours(1)).build()))
        .build();
  }

  private static OutlierDetection.Builder detection() {
    return OutlierDetection.builder().successRate(false, 5, 100, 1.9);
  }

  private void call(Mesh mesh, int times) throws IOException {
    for (int i = 0; i < times; i++) {
      try {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      } catch (dev.meshwork.core.exception.MeshException.EndpointFailed expected) {
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

  private static void sweep(Mesh mesh) {
    Invokers.runtime(mesh, "mathoid").outliers().sweep();
  }

  @Test
  void fiveConsecutive5xxEjectAndTheEndpointGetsNoTraffic() throws IOException {
    try (Mesh mesh = mesh(4, detection())) {
      statusByAddress.put("10.0.0.1:80", 500);
      call(mesh, 16); // round robin: 4 attempts each, 4 failures in a row on .1
      assertEquals(Set.of(), ejected(mesh), "four in a row are not five");
      call(mesh, 4);
      assertEquals(Set.of("10.0.0.1:80"), ejected(mesh));
      exchange.sentTo.clear();
      call(mesh, 30);
      assertFalse(
          exchange.sentTo.stream().anyMatch(e -> e.address().equals("10.0.0.1:80")),
          "ejected means no traffic");
    }
  }

  @Test
  void gatewayFailuresAndConnectErrorsCountTogether() throws IOException {
    try (Mesh mesh = mesh(2, detection().consecutive5xx(100).consecutiveGatewayFailures(3))) {
      exchange.sentTo.clear();
      statusByAddress.put("10.0.0.2:80", 503);
      call(mesh, 2);
      statusByAddress.put("10.0.0.2:80", -1);
      call(mesh, 2);
      assertEquals(Set.of(), ejected(mesh));
      statusByAddress.put("10.0.0.2:80", 504);
      call(mesh, 2);
      assertEquals(
          Set.of("10.0.0.2:80"),
          ejected(mesh),
          "503, refused, 504: three gateway failures in a row");
    }
  }

  @Test
  void ejectionTimeGrowsWithEachEjectionAndIsCapped() throws IOException {
    try (Mesh mesh =
        mesh(
            2,
            detection()
                .baseEjectionTime(Duration.ofSeconds(30))
                .maxEjectionTime(Duration.ofSeconds(70)))) {
      statusByAddress.put("10.0.0.1:80", 500);
      long[] expectedSeconds = {30, 60, 70};
      for (long seconds : expectedSeconds) {
        call(mesh, 10);
        assertEquals(Set.of("10.0.0.1:80"), ejected(mesh));
        clock.advance(Duration.ofSeconds(seconds).minusMillis(1));
        sweep(mesh);
        assertEquals(
            Set.of("10.0.0.1:80"), ejected(mesh), "still ejected just before " + seconds + " s");
        clock.advance(Duration.ofMillis(1));
        sweep(mesh);
        assertEquals(Set.of(), ejected(mesh), "back after " + seconds + " s");
      }
    }
  }

  @Test
  void cleanIntervalsLowerTheMultiplier() throws IOException {
    try (Mesh mesh = mesh(2, detection())) {
      statusByAddress.put("10.0.0.1:80", 500);
      call(mesh, 10);
      clock.advance(Duration.ofSeconds(30));
      sweep(mesh);
      statusByAddress.clear();
      assertEquals(1, status(mesh, "10.0.0.1:80").ejections());
      call(mesh, 10);
      sweep(mesh);
      assertEquals(
          0,
          status(mesh, "10.0.0.1:80").ejections(),
          "an interval without failures forgives one ejection");
      statusByAddress.put("10.0.0.1:80", 500);
      call(mesh, 10);
      clock.advance(Duration.ofSeconds(30));
      sweep(mesh);
      assertEquals(Set.of(), ejected(mesh), "so the next ejection is the base 30 s again");
    }
  }

  @Test
  void atMostTheConfiguredShareIsEjectedButAlwaysOne() throws IOException {
    try (Mesh mesh = mesh(10, detection())) {
      for (int i = 1; i <= 3; i++) {
        statusByAddress.put("10.0.0." + i + ":80", 500);
      }
      call(mesh, 100);
      assertEquals(1, ejected(mesh).size(), "10% of 10 endpoints");
    }
    try (Mesh mesh = mesh(3, detection())) {
      statusByAddress.put("10.0.0.4:80", 500); // not in this mesh; the first three still fail
      call(mesh, 30);
      assertEquals(
          1, ejected(mesh).size(), "10% of 3 rounds down to 0, but one may always be ejected");
    }
  }

  /**
   * 2 of 10 endpoints fail and maxEjectionPercent (10%) allows one ejection: the other failing
   * endpoint's refusal is logged once, not on each of its failures (333 lines for 3,000 calls),
   * again once in the next interval, and it is ejected as soon as the first ejection ends.
   */
  @Test
  void aRefusalByMaxEjectionPercentIsLoggedOnceAndRetriedWhenAnEjectionEnds() throws IOException {
    try (CapturedLogs logs = CapturedLogs.of(OutlierDetector.class);
        Mesh mesh = mesh(10, detection())) {
      statusByAddress.put("10.0.0.1:80", 500);
      statusByAddress.put("10.0.0.2:80", 500);
      call(mesh, 3_000);
      assertEquals(Set.of("10.0.0.1:80"), ejected(mesh));
      assertEquals(
          2,
          logs.lines().size(),
          "the ejection and the refusal, nothing per failure: " + logs.lines());
      assertEquals(1, logs.containing("10.0.0.1:80 ejected for").size(), logs.lines().toString());
      assertEquals(
          1,
          logs.containing(
                  "maxEjectionPercent 10.0% reached (1 of 10 endpoints ejected): endpoint 10.0.0.2:80"
                      + " stays in balancing")
              .size(),
          logs.lines().toString());

      clock.advance(
          Duration.ofHours(
              1)); // the next detection interval; no sweep has run, so .1 is still ejected
      call(mesh, 3_000);
      assertEquals(
          1, logs.containing("10.0.0.2:80 still not ejected").size(), logs.lines().toString());
      assertEquals(3, logs.lines().size(), logs.lines().toString());

      sweep(mesh); // .1's 30 s ejection ended long ago: the cap frees up
      call(mesh, 10); // round robin: one call each
      assertEquals(Set.of("10.0.0.2:80"), ejected(mesh), "the next failure of .2 ejects it");
      assertEquals(1, logs.containing("10.0.0.2:80 ejected for").size(), logs.lines().toString());
    }
  }

  @Test
  void belowThePanicThresholdEveryEndpointTakesTraffic() throws IOException {
    try (Mesh mesh = mesh(4, detection().maxEjectionPercent(100))) {
      ServiceRuntime runtime = Invokers.runtime(mesh, "mathoid");
      statusByAddress.put("10.0.0.1:80", 500);
      statusByAddress.put("10.0.0.2:80", 500);
      call(mesh, 20);
      assertEquals(2, ejected(mesh).size());
      assertFalse(runtime.panic(), "2 of 4 healthy is exactly the 50% threshold");
      assertEquals(2, runtime.candidates().size());
      statusByAddress.put("10.0.0.3:80", 500);
      call(mesh, 10);
      assertEquals(3, ejected(mesh).size());
      assertTrue(runtime.panic());
      assertEquals(4, runtime.candidates().size(), "panic: balance over all endpoints");
    }
  }

  @Test
  void aSuccessRateFarBelowThePeersEjects() throws IOException {
    try (Mesh mesh = mesh(6, detection().successRate(true, 5, 100, 1.9).consecutive5xx(1000))) {
      // .1 fails every other attempt: 50% against its peers' 100%; no streak ever reaches a
      // threshold
      int[] count = {0};
      ScriptedExchange alternating =
          new ScriptedExchange(
              (endpoint, attempt) ->
                  endpoint.address().equals("10.0.0.1:80") && count[0]++ % 2 == 0 ? 500 : 200);
      for (int i = 0; i < 600; i++) {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), alternating);
      }
      assertEquals(Set.of(), ejected(mesh));
      sweep(mesh);
      assertEquals(Set.of("10.0.0.1:80"), ejected(mesh));
    }
  }

  @Test
  void successRateNeedsEnoughRequestsAndHosts() throws IOException {
    try (Mesh mesh = mesh(6, detection().successRate(true, 5, 100, 1.9).consecutive5xx(1000))) {
      statusByAddress.put("10.0.0.1:80", 500);
      call(mesh, 594); // 99 each: below the request volume
      sweep(mesh);
      assertEquals(Set.of(), ejected(mesh));
    }
  }

  @Test
  void failurePercentageEjectsWhenEnabled() throws IOException {
    try (Mesh mesh =
        mesh(
            5,
            detection()
                .failurePercentage(true, 85, 5, 50)
                .consecutive5xx(1000)
                .consecutiveGatewayFailures(1000))) {
      statusByAddress.put("10.0.0.5:80", 500);
      call(mesh, 250);
      sweep(mesh);
      assertEquals(Set.of("10.0.0.5:80"), ejected(mesh));
    }
  }

  @Test
  void disabledDetectionNeverEjects() throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .retries(RetryPolicy.disabled())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(OutlierDetection.disabled()))
            .build()) {
      statusByAddress.put("10.0.0.1:80", 500);
      call(mesh, 100);
      assertEquals(Set.of(), ejected(mesh));
      assertEquals(2, Invokers.runtime(mesh, "mathoid").candidates().size());
    }
  }

  private static EndpointStatus status(Mesh mesh, String address) {
    List<EndpointStatus> all = mesh.endpointStatus("mathoid");
    return all.stream()
        .filter(s -> s.endpoint().address().equals(address))
        .findFirst()
        .orElseThrow();
  }
}

package dev.meshwork.core.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ManualClock;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.internal.endpoint.EndpointState;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Round robin, weighted round robin, random, least request and peak-EWMA, with fixed seeds. */
class WeightedBalancersTest {
  private static final ServiceName SERVICE = ServiceName.of("mathoid");
  private final ManualClock clock = new ManualClock();

  private LoadBalancer create(LoadBalancerFactory factory, List<EndpointState> endpoints) {
    LoadBalancer balancer = factory.create(SERVICE, clock);
    balancer.update(endpoints);
    return balancer;
  }

  private static Map<Integer, Integer> counts(
      LoadBalancer balancer, List<EndpointState> endpoints, int picks) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(
          endpoints.indexOf(balancer.pick(endpoints, Candidates.noHeaders())), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void weightedRoundRobinGivesExactSharesInterleaved() {
    List<EndpointState> endpoints = Candidates.weighted(5, 1, 1);
    LoadBalancer balancer = create(LoadBalancers.weightedRoundRobin(), endpoints);
    StringBuilder order = new StringBuilder();
    for (int i = 0; i < 70; i++) {
      order.append(
          (char) ('a' + endpoints.indexOf(balancer.pick(endpoints, Candidates.noHeaders()))));
    }
    String sequence = order.toString();
    assertEquals(50, sequence.chars().filter(c -> c == 'a').count());
    assertEquals(10, sequence.chars().filter(c -> c == 'b').count());
    assertEquals(10, sequence.chars().filter(c -> c == 'c').count());
    // Smooth: the light endpoints are spread through the period, not bunched at its end.
    assertTrue(!sequence.substring(0, 7).contains("aaaa"), sequence.substring(0, 7));
  }

  @Test
  void weightedRoundRobinGoesOnFromItsPositionAfterAnEndpointUpdate() {
    List<EndpointState> endpoints = Candidates.weighted(1, 1);
    LoadBalancer balancer = create(LoadBalancers.weightedRoundRobin(), endpoints);
    EndpointState first = balancer.pick(endpoints, Candidates.noHeaders());
    List<EndpointState> updated = List.copyOf(endpoints); // a new snapshot of the same endpoints
    balancer.update(updated);
    EndpointState next = balancer.pick(updated, Candidates.noHeaders());
    assertTrue(
        first != next, "the turn after " + first + " is the other endpoint, not turn 0 again");
  }

  @Test
  void weightedRoundRobinScalesHugeWeightSumsKeepingRatios() {
    List<EndpointState> endpoints = Candidates.weighted(1_000_000, 333_333);
    LoadBalancer balancer = create(LoadBalancers.weightedRoundRobin(), endpoints);
    Map<Integer, Integer> counts = counts(balancer, endpoints, 65_536);
    double share = counts.get(0) / 65_536.0;
    assertEquals(0.75, share, 0.001, "weight 3:1 within 0.1 percentage points");
  }

  @Test
  void randomFollowsWeightsWithinOnePoint() {
    List<EndpointState> endpoints = Candidates.weighted(3, 1);
    Map<Integer, Integer> counts =
        counts(create(LoadBalancers.random(42), endpoints), endpoints, 40_000);
    assertEquals(0.75, counts.get(0) / 40_000.0, 0.01, "seed 42, tolerance 1 percentage point");
  }

  @Test
  void randomAliasTableFollowsUnevenWeights() {
    List<EndpointState> endpoints = Candidates.weighted(1, 2, 3, 4, 10, 7, 1);
    Map<Integer, Integer> counts =
        counts(create(LoadBalancers.random(9), endpoints), endpoints, 280_000);
    int[] weights = {1, 2, 3, 4, 10, 7, 1};
    for (int i = 0; i < weights.length; i++) {
      assertEquals(
          weights[i] / 28.0,
          counts.get(i) / 280_000.0,
          0.003,
          "endpoint " + i + ", seed 9, 0.3 points");
    }
  }

  @Test
  void leastRequestNeverPicksTheBusierOfTwo() {
    List<EndpointState> endpoints = Candidates.equal(3);
    for (int i = 0; i < 10; i++) {
      endpoints.get(2).stats().attemptStarted();
    }
    Map<Integer, Integer> counts =
        counts(create(LoadBalancers.leastRequest(7), endpoints), endpoints, 3_000);
    assertEquals(
        null, counts.get(2), "the endpoint with 10 requests in flight always loses its pair");
    assertEquals(
        0.5,
        counts.get(0) / 3_000.0,
        0.03,
        "the idle two share evenly, seed 7, tolerance 3 points");
  }

  @Test
  void leastRequestWithEqualLoadSpreadsEvenly() {
    List<EndpointState> endpoints = Candidates.equal(4);
    Map<Integer, Integer> counts =
        counts(create(LoadBalancers.leastRequest(11), endpoints), endpoints, 40_000);
    for (int i = 0; i < 4; i++) {
      assertEquals(
          0.25, counts.get(i) / 40_000.0, 0.01, "endpoint " + i + ", seed 11, tolerance 1 point");
    }
  }

  @Test
  void peakEwmaAvoidsTheSlowEndpointAndProbesItAgainWhenIdle() {
    List<EndpointState> endpoints = Candidates.equal(3);
    for (EndpointState endpoint : endpoints) {
      long latency = endpoint == endpoints.get(1) ? 300_000_000L : 10_000_000L;
      endpoint.stats().attemptStarted();
      endpoint
          .stats()
          .attemptEnded(dev.meshwork.core.internal.endpoint.AttemptOutcome.SUCCESS, latency, 0);
    }
    LoadBalancer balancer = create(LoadBalancers.peakEwma(3), endpoints);
    assertEquals(
        null, counts(balancer, endpoints, 3_000).get(1), "300 ms loses every pair against 10 ms");
    assertTrue(endpoints.get(1).latencyEstimateNanos(clock.nanoTime()) > 290_000_000.0);

    // Estimates decay toward zero with a 10 s time constant: after a minute idle it is cheap again.
    clock.advance(Duration.ofSeconds(60));
    assertTrue(endpoints.get(1).latencyEstimateNanos(clock.nanoTime()) < 1_000_000.0);
  }
}

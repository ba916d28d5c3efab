package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.Candidates;
import dev.meshwork.core.balancer.HashPolicy;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.policy.ZoneAwareness;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Zone awareness through the whole pipeline: 12 endpoints, 4 in each of zones a, b and c, the
 * caller in zone a. Ejection is real (one 5xx ejects; the manual clock never ends it unless the
 * test moves it). Balancer: least request with seed 7; zone shares come from a deterministic
 * sequence, so the local share is exact within 1 percentage point and the split between the other
 * zones within 2.
 */
class ZoneAwareTest {
  private static final int CALLS = 10_000;
  private final ManualClock clock = new ManualClock();
  private final Map<String, Integer> statusByAddress = new ConcurrentHashMap<>();
  private final ScriptedExchange exchange =
      new ScriptedExchange(
          (endpoint, attempt) -> statusByAddress.getOrDefault(endpoint.address(), 200));

  private Mesh mesh(String localZone, Consumer<ServiceConfig.Builder> extra) {
    return mesh(localZone, new int[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, extra);
  }

  /** The twelve endpoints with these weights, in order. */
  private Mesh mesh(String localZone, int[] weights, Consumer<ServiceConfig.Builder> extra) {
    Endpoint[] endpoints = new Endpoint[12];
    for (int i = 0; i < endpoints.length; i++) {
      endpoints[i] =
          Endpoint.builder("10.0.0." + (i + 1), 80)
              .zone(String.valueOf((char) ('a' + i / 4)))
              .weight(weights[i])
              .build();
    }
    MeshBuilder builder = Mesh.builder().clock(clock);
    if (localZone != null) {
      builder.localZone(localZone);
    }
    return builder
        .service(
            "mathoid",
            s -> {
              s.endpoints(endpoints)
                  .loadBalancer(LoadBalancers.leastRequest(7))
                  .retries(RetryPolicy.disabled())
                  .circuitBreaker(CircuitBreakerPolicy.disabled())
                  .outlierDetection(
                      OutlierDetection.builder()
                          .consecutive5xx(1)
                          .maxEjectionPercent(100)
                          .successRate(false, 5, 100, 1.9)
                          .interval(Duration.ofHours(1))
                          .build());
              extra.accept(s);
            })
        .build();
  }

  private Mesh mesh(String localZone) {
    return mesh(localZone, s -> {});
  }

  /** Share of calls per zone over {@code calls} calls. */
  private Map<String, Double> zoneShares(Mesh mesh, int calls) throws IOException {
    return shares(mesh, calls, Endpoint::zone);
  }

  /**
   * Share of calls per key of the endpoint called (its zone, its address) over {@code calls} calls.
   */
  private Map<String, Double> shares(Mesh mesh, int calls, Function<Endpoint, String> key)
      throws IOException {
    Map<String, Double> shares = new HashMap<>();
    ScriptedExchange counting =
        new ScriptedExchange(
            (endpoint, attempt) -> {
              shares.merge(key.apply(endpoint), 1.0 / calls, Double::sum);
              return statusByAddress.getOrDefault(endpoint.address(), 200);
            });
    for (int i = 0; i < calls; i++) {
      counting.sentTo.clear(); // it records every attempt; this test only counts
      Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), counting);
    }
    return shares;
  }

  /**
   * Fails {@code addresses} until each is ejected (one 5xx each), then lets them answer 200 again.
   */
  private void eject(Mesh mesh, String... addresses) {
    for (String address : addresses) {
      statusByAddress.put(address, 500);
    }
    for (int i = 0; i < 1_000 && ejectedCount(mesh) < addresses.length; i++) {
      try {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      } catch (IOException expected) {
        // the scripted 500s are what ejects
      }
    }
    statusByAddress.clear();
    assertEquals(addresses.length, ejectedCount(mesh), "endpoints ejected");
  }

  private static long ejectedCount(Mesh mesh) {
    return mesh.endpointStatus("mathoid").stream().filter(EndpointStatus::ejected).count();
  }

  @Test
  void allTrafficStaysLocalWhileTheZoneIsHealthy() throws IOException {
    try (Mesh mesh = mesh("a")) {
      assertEquals(Map.of("a", 1.0), round(zoneShares(mesh, CALLS)));
      eject(mesh, "10.0.0.1:80"); // 3 of 4 local healthy: 75%, above the 70% threshold
      assertEquals(Map.of("a", 1.0), round(zoneShares(mesh, CALLS)));
    }
  }

  @Test
  void spillsTheMissingShareToOtherZonesInProportion() throws IOException {
    try (Mesh mesh = mesh("a")) {
      eject(mesh, "10.0.0.1:80", "10.0.0.2:80");
      Map<String, Double> shares = zoneShares(mesh, CALLS);
      // 2 of 4 local healthy: 50% / 70% = 71.4% stays local, 28.6% splits evenly over b and c (4
      // each).
      assertEquals(0.714, shares.get("a"), 0.01, shares.toString());
      assertEquals(0.143, shares.get("b"), 0.02, shares.toString());
      assertEquals(0.143, shares.get("c"), 0.02, shares.toString());
    }
  }

  @Test
  void unevenOtherZonesGetSharesByTheirHealthyEndpoints() throws IOException {
    try (Mesh mesh = mesh("a")) {
      eject(
          mesh,
          "10.0.0.1:80",
          "10.0.0.2:80",
          "10.0.0.3:80",
          "10.0.0.4:80",
          "10.0.0.5:80",
          "10.0.0.6:80");
      Map<String, Double> shares = zoneShares(mesh, CALLS);
      // Zone a is gone; b keeps 2 healthy endpoints and c 4, so c takes two thirds of the calls.
      assertEquals(null, shares.get("a"), shares.toString());
      assertEquals(1 / 3.0, shares.get("b"), 0.02, shares.toString());
      assertEquals(2 / 3.0, shares.get("c"), 0.02, shares.toString());
    }
  }

  @Test
  void trafficReturnsHomeWhenTheEjectionEnds() throws IOException {
    try (Mesh mesh = mesh("a")) {
      eject(mesh, "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
      assertEquals(0.357, zoneShares(mesh, CALLS).get("a"), 0.01, "1 of 4 healthy: 25% / 70%");
      clock.advance(Duration.ofSeconds(31));
      Invokers.runtime(mesh, "mathoid").outliers().sweep();
      assertEquals(Map.of("a", 1.0), round(zoneShares(mesh, CALLS)));
    }
  }

  @Test
  void weightedBalancersPickFromZoneNarrowedListsByWeightWithTheirOwnTables() throws IOException {
    // Healthy, every call stays in zone a, split 5:5:1:3. Once 10.0.0.1 and 10.0.0.2 are out, zone
    // a
    // keeps 71.4% of calls, split 1:3, and zones b and c (weights 1..4 and 4..1) share the rest by
    // weight. Either way each side is a list of its own, picked from with the table built for it.
    int[] weights = {5, 5, 1, 3, 1, 2, 3, 4, 4, 3, 2, 1};
    // Weighted round robin follows its schedules and the zone draw an even sequence: exact within a
    // tenth of a point, which a weighted random draw (0.45 points standard deviation at 10.0.0.4's
    // share) would miss, so this also shows the schedules are used. Random (seed 11) draws: two
    // points, four standard deviations of the largest share. Slow start is on (nobody ramps: all
    // arrived in the first set), so the tables must reach the balancer through its slow-start
    // wrapper.
    Map<LoadBalancerFactory, Double> tolerance =
        Map.of(LoadBalancers.weightedRoundRobin(), 0.001, LoadBalancers.random(11), 0.02);
    for (Map.Entry<LoadBalancerFactory, Double> balancer : tolerance.entrySet()) {
      try (Mesh mesh =
          mesh(
              "a",
              weights,
              s ->
                  s.loadBalancer(balancer.getKey())
                      .slowStart(SlowStart.of(Duration.ofSeconds(60))))) {
        String name = balancer.getKey().name();
        assertWeightedShares(mesh, weights, 0, 1.0, balancer.getValue(), name + ", zone a healthy");
        eject(mesh, "10.0.0.1:80", "10.0.0.2:80");
        assertWeightedShares(
            mesh, weights, 2, 0.5 / 0.7, balancer.getValue(), name + ", 2 of 4 local healthy");
      }
    }
  }

  /**
   * Each endpoint from index {@code from} on gets its weight's part of its side: {@code local} of
   * the calls for zone a, the rest for zones b and c.
   */
  private void assertWeightedShares(
      Mesh mesh, int[] weights, int from, double local, double tolerance, String what)
      throws IOException {
    Map<String, Double> shares = shares(mesh, CALLS, Endpoint::address);
    int localWeight = IntStream.range(from, 4).map(i -> weights[i]).sum();
    int remoteWeight = IntStream.range(4, weights.length).map(i -> weights[i]).sum();
    for (int i = from; i < weights.length; i++) {
      double expected =
          i < 4 ? local * weights[i] / localWeight : (1 - local) * weights[i] / remoteWeight;
      String address = "10.0.0." + (i + 1) + ":80";
      assertEquals(expected, shares.getOrDefault(address, 0.0), tolerance, what + ": " + address);
    }
  }

  @Test
  void aStricterThresholdSpillsEarlier() throws IOException {
    try (Mesh mesh = mesh("a", s -> s.zoneAware(ZoneAwareness.minHealthyPercent(100)))) {
      eject(mesh, "10.0.0.1:80");
      assertEquals(0.75, zoneShares(mesh, CALLS).get("a"), 0.01, "3 of 4 healthy against 100%");
    }
  }

  @Test
  void noLocalZoneOrOptingOutBalancesOverAllZones() throws IOException {
    for (Mesh mesh :
        new Mesh[] {mesh(null), mesh("a", s -> s.zoneAware(ZoneAwareness.disabled())), mesh("z")}) {
      try (mesh) {
        Map<String, Double> shares = zoneShares(mesh, CALLS);
        for (String zone : new String[] {"a", "b", "c"}) {
          assertEquals(1 / 3.0, shares.get(zone), 0.02, zone + " in " + shares);
        }
      }
    }
  }

  @Test
  void consistentHashingIgnoresZonesSoKeysKeepTheirEndpoints() throws IOException {
    for (LoadBalancerFactory hashing :
        new LoadBalancerFactory[] {
          LoadBalancers.maglev(HashPolicy.header(KeyedBalancer.KEY)),
          LoadBalancers.ringHash(HashPolicy.header(KeyedBalancer.KEY))
        }) {
      assertEquals(Set.of("a", "b", "c"), zonesReachedByKeys(hashing), hashing.name());
    }
  }

  @Test
  void aBalancerThatSaysItKeepsKeysOnEndpointsIsNotNarrowedByZone() throws IOException {
    // Not a built-in: the mesh knows it only by keepsKeysOnEndpoints(). Narrowed, every key would
    // stay in zone a.
    assertEquals(Set.of("a", "b", "c"), zonesReachedByKeys(new KeyedBalancer().factory()));
  }

  /** The zones 300 keyed calls reached, with the caller in zone a and every endpoint healthy. */
  private Set<String> zonesReachedByKeys(LoadBalancerFactory balancer) throws IOException {
    Set<String> zonesReached = new HashSet<>();
    try (Mesh mesh = mesh("a", s -> s.loadBalancer(balancer))) {
      for (int key = 0; key < 300; key++) {
        int before = exchange.sentTo.size();
        Invokers.of(mesh, "mathoid").invoke(keyed("user-" + key), exchange);
        zonesReached.add(exchange.sentTo.get(before).zone());
      }
    }
    return zonesReached;
  }

  @Test
  void effectiveConfigurationShowsTheDefault() {
    try (Mesh mesh = mesh("a")) {
      assertTrue(
          mesh.config("mathoid")
              .toString()
              .contains("ZoneAwareness{on, stay local while 70.0% healthy}"),
          mesh.config("mathoid").toString());
      assertEquals(Optional.of("a"), mesh.localZone());
    }
  }

  private static Map<String, Double> round(Map<String, Double> shares) {
    Map<String, Double> rounded = new HashMap<>();
    shares.forEach((zone, share) -> rounded.put(zone, Math.round(share * 1000) / 1000.0));
    return rounded;
  }

  private static MeshRequest keyed(String key) {
    return Candidates.request(Map.of(KeyedBalancer.KEY, key)).request();
  }
}

package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.balancer.Candidates;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.internal.balancer.SlowStartLoadBalancer;
import dev.meshwork.core.internal.endpoint.EndpointSet;
import dev.meshwork.core.internal.endpoint.Ramp;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import dev.meshwork.core.spi.LoadBalancer;
import dev.meshwork.core.spi.LoadBalancer.LoadBalancerFactory;
import dev.meshwork.core.spi.LoadBalancer.PickContext;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Slow start measured on the manual clock: three warm endpoints, then a fourth joins. Its expected
 * share at time t is f / (3 + f) with f = max(10%, (t / 60 s) ^ (1 / aggression)). Seeded
 * balancers; the keep-or-redraw choice is a deterministic sequence. Tolerance 1.5 percentage points
 * over 10,000 calls (four standard deviations of a random draw at these shares).
 */
class SlowStartTest {
  private static final int CALLS = 10_000;
  private static final Endpoint A = Endpoint.parse("10.0.0.1:80");
  private static final Endpoint B = Endpoint.parse("10.0.0.2:80");
  private static final Endpoint C = Endpoint.parse("10.0.0.3:80");
  private static final Endpoint NEW = Endpoint.parse("10.0.0.4:80");
  private final ManualClock clock = new ManualClock();
  private final PushedDiscovery discovery = new PushedDiscovery();

  private Mesh mesh(LoadBalancerFactory balancer, SlowStart slowStart) {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s ->
                s.discovery(discovery)
                    .loadBalancer(balancer)
                    .slowStart(slowStart)
                    .retries(RetryPolicy.disabled())
                    .circuitBreaker(CircuitBreakerPolicy.disabled())
                    .outlierDetection(
                        OutlierDetection.builder()
                            .consecutive5xx(1)
                            .maxEjectionPercent(100)
                            .successRate(false, 5, 100, 1.9)
                            .interval(Duration.ofHours(1))
                            .build()))
        .build();
  }

  private static double shareOf(Mesh mesh, Endpoint endpoint) throws IOException {
    int[] hits = new int[1];
    ScriptedExchange counting =
        new ScriptedExchange(
            (to, attempt) -> {
              hits[0] += to.equals(endpoint) ? 1 : 0;
              return 200;
            });
    for (int i = 0; i < CALLS; i++) {
      counting.sentTo.clear(); // it records every attempt; this test only counts
      Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), counting);
    }
    return hits[0] / (double) CALLS;
  }

  private static double expected(double factor) {
    return factor / (3 + factor);
  }

  @Test
  void aNewEndpointsShareFollowsTheLinearRampForEveryWeightedBalancer() throws IOException {
    // Peak-EWMA follows latency, which this no-network transport does not have; see the next test.
    for (LoadBalancerFactory balancer :
        new LoadBalancerFactory[] {
          LoadBalancers.random(42),
          LoadBalancers.leastRequest(42),
          LoadBalancers.weightedRoundRobin(),
          LoadBalancers.roundRobin()
        }) {
      try (Mesh mesh = mesh(balancer, SlowStart.of(Duration.ofSeconds(60)))) {
        discovery.push(A, B, C);
        assertEquals(
            1 / 3.0,
            shareOf(mesh, A),
            0.015,
            balancer.name() + ": the first set takes full shares at once");
        discovery.push(A, B, C, NEW);
        String name = balancer.name();
        assertEquals(expected(0.10), shareOf(mesh, NEW), 0.015, name + " at 0 s: the 10% floor");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(expected(0.25), shareOf(mesh, NEW), 0.015, name + " at 15 s");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(expected(0.50), shareOf(mesh, NEW), 0.015, name + " at 30 s");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(expected(0.75), shareOf(mesh, NEW), 0.015, name + " at 45 s");
        clock.advance(Duration.ofSeconds(15));
        assertEquals(0.25, shareOf(mesh, NEW), 0.015, name + " at 60 s: a full share");
      }
    }
  }

  @Test
  void peakEwmaRampsTooWhenLatenciesAreEqual() {
    // No attempt completes, so every endpoint keeps the same default latency estimate and
    // peak-EWMA alone would spread evenly; the ramp alone makes the difference.
    Ramp ramp = new Ramp(SlowStart.of(Duration.ofSeconds(60)), clock);
    ServiceName service = ServiceName.of("mathoid");
    EndpointSet set =
        EndpointSet.initial()
            .next(
                EndpointSnapshot.of(service, List.of(A, B, C)), clock.now(), clock.nanoTime(), ramp)
            .next(
                EndpointSnapshot.of(service, List.of(A, B, C, NEW)),
                clock.now(),
                clock.nanoTime(),
                ramp);
    LoadBalancer balancer =
        new SlowStartLoadBalancer(LoadBalancers.peakEwma(42).create(service, clock));
    balancer.update(set.states());
    for (int seconds : new int[] {0, 15, 30, 45, 60}) {
      clock.advance(Duration.ofSeconds(seconds == 0 ? 0 : 15));
      int picked = 0;
      for (int i = 0; i < CALLS; i++) {
        if (balancer.pick(set.states(), NO_CONTEXT).endpoint().equals(NEW)) {
          picked++;
        }
      }
      assertEquals(
          expected(Math.max(0.1, seconds / 60.0)),
          picked / (double) CALLS,
          0.015,
          "at " + seconds + " s");
    }
  }

  private static final PickContext NO_CONTEXT =
      new PickContext() {
        @Override
        public MeshRequest request() {
          return TestRequest.get();
        }

        @Override
        public int attempt() {
          return 0;
        }
      };

  @Test
  void aggressionBendsTheRamp() throws IOException {
    SlowStart ramp =
        SlowStart.builder(Duration.ofSeconds(60)).aggression(2).minWeightPercent(5).build();
    try (Mesh mesh = mesh(LoadBalancers.random(7), ramp)) {
      discovery.push(A, B, C);
      discovery.push(A, B, C, NEW);
      assertEquals(expected(0.05), shareOf(mesh, NEW), 0.015, "at 0 s: the 5% floor");
      clock.advance(Duration.ofSeconds(15));
      assertEquals(expected(0.5), shareOf(mesh, NEW), 0.015, "at 15 s: sqrt(1/4)");
    }
  }

  @Test
  void anEndpointBackFromEjectionRampsAgain() throws IOException {
    try (Mesh mesh = mesh(LoadBalancers.random(3), SlowStart.of(Duration.ofSeconds(60)))) {
      discovery.push(A, B, C, NEW);
      assertEquals(0.25, shareOf(mesh, NEW), 0.015, "in the first set: no ramp");
      ScriptedExchange failing =
          new ScriptedExchange((endpoint, attempt) -> endpoint.equals(NEW) ? 500 : 200);
      for (int i = 0; i < 1_000 && !ejected(mesh); i++) {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), failing);
      }
      assertTrue(ejected(mesh), "one 5xx ejects");
      clock.advance(Duration.ofSeconds(31));
      Invokers.runtime(mesh, "mathoid").outliers().sweep();
      assertEquals(expected(0.10), shareOf(mesh, NEW), 0.015, "back in: the ramp starts over");
      clock.advance(Duration.ofSeconds(30));
      assertEquals(expected(0.50), shareOf(mesh, NEW), 0.015, "30 s after its return");
    }
  }

  @Test
  void withoutSlowStartANewEndpointTakesItsFullShareAtOnce() throws IOException {
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service("mathoid", s -> s.discovery(discovery).loadBalancer(LoadBalancers.random(5)))
            .build()) {
      discovery.push(A, B, C);
      discovery.push(A, B, C, NEW);
      assertEquals(0.25, shareOf(mesh, NEW), 0.015);
      assertTrue(
          mesh.config("mathoid").toString().contains("SlowStart{disabled}"),
          mesh.config("mathoid").toString());
    }
  }

  @Test
  void aBalancerThatSaysItKeepsKeysOnEndpointsIsNotRedrawnWhileItsEndpointRamps()
      throws IOException {
    KeyedBalancer keyed = new KeyedBalancer();
    try (Mesh mesh = mesh(keyed.factory(), SlowStart.of(Duration.ofSeconds(60)))) {
      discovery.push(A, B, C);
      discovery.push(
          A, B, C,
          NEW); // NEW ramps from 10%: wrapped for slow start, most of its keys would be redrawn
      ScriptedExchange exchange = new ScriptedExchange((to, attempt) -> 200);
      int calls = 200;
      for (int key = 0; key < calls; key++) {
        Invokers.of(mesh, "mathoid")
            .invoke(
                Candidates.request(Map.of(KeyedBalancer.KEY, "user-" + key)).request(), exchange);
      }
      assertTrue(exchange.sentTo.contains(NEW), "some keys belong to the ramping endpoint");
      assertEquals(calls, keyed.picks.get(), "one pick per call, none redrawn");
    }
  }

  private static boolean ejected(Mesh mesh) {
    return mesh.endpointStatus("mathoid").stream()
        .anyMatch(s -> s.endpoint().equals(NEW) && s.ejected());
  }
}

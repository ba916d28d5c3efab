package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.internal.ServiceGeneration;
import dev.meshwork.core.internal.endpoint.EndpointStats;
import dev.meshwork.core.internal.outlier.OutlierDetector;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What a config swap keeps of a changed service: its endpoints' state always; the state of a
 * breaker, outlier detector, retry budget or limiter while that policy is unchanged. And what it
 * releases of a removed one: no task stays scheduled, no meter stays registered.
 */
class ConfigStateTest {
  private static final Endpoint A = Endpoint.parse("10.0.0.1:80");
  private static final Endpoint B = Endpoint.parse("10.0.0.2:80");

  private final ManualClock clock = new ManualClock();
  private final Map<String, Integer> statusByAddress = new ConcurrentHashMap<>();
  private final RecordingExchange exchange = new RecordingExchange(statusByAddress, null);

  private static ServiceConfig mathoid(Consumer<ServiceConfig.Builder> more) {
    ServiceConfig.Builder builder =
        ServiceConfig.builder("mathoid")
            .endpoints(A, B)
            .loadBalancer(LoadBalancers.roundRobin())
            .retries(RetryPolicy.disabled())
            .circuitBreaker(CircuitBreakerPolicy.disabled())
            .outlierDetection(
                OutlierDetection.builder().consecutive5xx(3).interval(Duration.ofHours(1)).build());
    more.accept(builder);
    return builder.build();
  }

  private static void apply(Mesh mesh, ServiceConfig... services) {
    MeshConfigurer.of(mesh).apply(List.of(services), "test", "next");
  }

  private void call(Mesh mesh, int times) throws Exception {
    for (int i = 0; i < times; i++) {
      Invokers.of(mesh, "mathoid").invoke(new GetRequest("/"), exchange);
    }
  }

  private static Set<Endpoint> ejected(Mesh mesh) {
    return mesh.endpointStatus("mathoid").stream()
        .filter(EndpointStatus::ejected)
        .map(EndpointStatus::endpoint)
        .collect(Collectors.toSet());
  }

  private static EndpointStatus status(Mesh mesh, Endpoint endpoint) {
    return mesh.endpointStatus("mathoid").stream()
        .filter(s -> s.endpoint().equals(endpoint))
        .findFirst()
        .orElseThrow();
  }

  private static ServiceGeneration generation(Mesh mesh) {
    return (ServiceGeneration) Invokers.of(mesh, "mathoid");
  }

  @Test
  void endpointStateCarriesOverAndDetectionFollowsItsPolicy() throws Exception {
    try (Mesh mesh = Mesh.builder().clock(clock).service(mathoid(s -> {})).build()) {
      statusByAddress.put(A.address(), 500);
      call(mesh, 6); // round robin: three 500s in a row on A eject it
      assertEquals(Set.of(A), ejected(mesh));
      assertEquals(3, status(mesh, B).successes());
      EndpointStats stats = Invokers.runtime(mesh, "mathoid").endpointSet().states().get(0).stats();
      OutlierDetector detector = generation(mesh).outliers();

      apply(
          mesh,
          mathoid(s -> s.timeout(Duration.ofSeconds(2)).loadBalancer(LoadBalancers.random())));
      assertEquals(Duration.ofSeconds(2), mesh.config("mathoid").timeouts().deadline().get());
      assertEquals(Set.of(A), ejected(mesh), "an ejected endpoint stays ejected");
      assertSame(stats, Invokers.runtime(mesh, "mathoid").endpointSet().states().get(0).stats());
      assertSame(detector, generation(mesh).outliers(), "same policy, same detector");
      call(mesh, 2);
      assertEquals(5, status(mesh, B).successes(), "counters continue");
      assertEquals(3, status(mesh, A).failures());

      apply(
          mesh,
          mathoid(
              s ->
                  s.outlierDetection(
                      OutlierDetection.builder()
                          .consecutive5xx(4)
                          .interval(Duration.ofHours(1))
                          .build())));
      assertNotSame(detector, generation(mesh).outliers(), "a changed policy, a new detector");
      assertEquals(Set.of(A), ejected(mesh), "the ejection itself is endpoint state");
      clock.advance(Duration.ofSeconds(30));
      generation(mesh).outliers().sweep();
      assertEquals(Set.of(), ejected(mesh), "the new detector ends the ejection on time");
      detector.sweep(); // the replaced detector is retired: its sweeps change nothing
      call(mesh, 8); // four 500s in a row on A under the new threshold
      assertEquals(Set.of(A), ejected(mesh));

      apply(mesh, mathoid(s -> s.outlierDetection(OutlierDetection.disabled())));
      assertNull(generation(mesh).outliers());
      assertEquals(Set.of(), ejected(mesh), "turning detection off returns the ejected");
      statusByAddress.clear();
      exchange.sentTo.clear();
      call(mesh, 2);
      assertTrue(exchange.sentTo.contains(A));
    }
  }

  @Test
  void aRampInProgressContinuesAcrossSwapsUnderTheSlowStartInForce() throws Exception {
    PushedDiscovery discovery = new PushedDiscovery();
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service(ramping(discovery, Duration.ofSeconds(60), 2))
            .build()) {
      discovery.push(A);
      discovery.push(A, B); // B joins a set that has endpoints: it ramps up over 60 s
      clock.advance(Duration.ofSeconds(30));
      assertEquals(0.5, rampOf(mesh, B), 1e-9);
      ServiceGeneration before = generation(mesh);

      apply(mesh, ramping(discovery, Duration.ofSeconds(60), 3));
      assertNotSame(before, generation(mesh));
      assertEquals(0.5, rampOf(mesh, B), 1e-9, "a swap of other settings leaves the ramp alone");
      apply(mesh, ramping(discovery, Duration.ofSeconds(120), 3));
      assertEquals(0.25, rampOf(mesh, B), 1e-9, "the same ramp, measured by the new window");
      clock.advance(Duration.ofSeconds(90));
      assertEquals(1.0, rampOf(mesh, B), 1e-9);
      assertEquals(1.0, rampOf(mesh, A), 1e-9);
    }
  }

  private static ServiceConfig ramping(DiscoverySource source, Duration window, int attempts) {
    return ServiceConfig.builder("mathoid")
        .discovery(source)
        .slowStart(window)
        .retries(RetryPolicy.builder().maxAttempts(attempts).build())
        .build();
  }

  private static double rampOf(Mesh mesh, Endpoint endpoint) {
    return Invokers.runtime(mesh, "mathoid").endpointSet().states().stream()
        .filter(state -> state.endpoint().equals(endpoint))
        .findFirst()
        .orElseThrow()
        .slowStartFactor();
  }

  @Test
  void theBreakerKeepsItsStateWhileItsPolicyStaysAndStartsFreshWhenItChanges() throws Exception {
    CircuitBreakerPolicy breaker =
        CircuitBreakerPolicy.builder()
            .minimumCalls(4)
            .failureRateThreshold(50)
            .openDuration(Duration.ofMinutes(1))
            .build();
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service(
                mathoid(
                    s -> s.circuitBreaker(breaker).outlierDetection(OutlierDetection.disabled())))
            .build()) {
      statusByAddress.put(A.address(), 500);
      statusByAddress.put(B.address(), 500);
      call(mesh, 4);
      assertEquals("OPEN", mesh.snapshot().service("mathoid").breaker());
      ServiceGeneration before = generation(mesh);

      apply(
          mesh,
          mathoid(
              s ->
                  s.circuitBreaker(breaker)
                      .outlierDetection(OutlierDetection.disabled())
                      .retries(RetryPolicy.builder().maxAttempts(3).build())));
      assertEquals(3, mesh.config("mathoid").retries().maxAttempts());
      assertEquals("OPEN", mesh.snapshot().service("mathoid").breaker(), "same policy, same state");
      assertThrows(MeshException.CircuitOpen.class, () -> call(mesh, 1));
      assertSame(before.target().retryBudget(), generation(mesh).target().retryBudget());
      assertSame(before.target().limiter(), generation(mesh).target().limiter());

      apply(
          mesh,
          mathoid(
              s ->
                  s.circuitBreaker(
                          CircuitBreakerPolicy.builder()
                              .minimumCalls(4)
                              .failureRateThreshold(50)
                              .openDuration(Duration.ofSeconds(30))
                              .build())
                      .outlierDetection(OutlierDetection.disabled())
                      .retries(RetryPolicy.builder().maxAttempts(3).build())));
      assertEquals("CLOSED", mesh.snapshot().service("mathoid").breaker(), "a new policy, fresh");
      statusByAddress.clear();
      call(mesh, 1);
    }
  }

  @Test
  void aRemovedServiceLeavesNoScheduledTaskAndNoMeter() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SchedulerSource mathoidSource = new SchedulerSource(A);
    SchedulerSource citoidSource = new SchedulerSource(B);
    ServiceConfig mathoid = background("mathoid", mathoidSource, HealthCheck.disabled());
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .telemetry(Telemetry.builder().meterRegistry(registry).build())
            .service(mathoid)
            .build()) {
      assertTrue(
          Invokers.context(mesh).useHealthProber((service, endpoint, path, timeout) -> ok()));
      ScheduledThreadPoolExecutor scheduler = (ScheduledThreadPoolExecutor) mathoidSource.scheduler;
      awaitScheduled(scheduler, 1); // mathoid's outlier sweeps

      apply(mesh, mathoid, background("citoid", citoidSource, check(Duration.ofHours(1))));
      awaitScheduled(scheduler, 3); // and citoid's sweeps and health checks
      assertNotNull(registry.find("mesh.endpoints.total").tag("mesh.service", "citoid").gauge());

      apply(mesh, mathoid);
      awaitScheduled(scheduler, 1);
      assertTrue(citoidSource.closed);
      assertTrue(
          registry.find("mesh.endpoints.total").tag("mesh.service", "citoid").gauges().isEmpty(),
          "the removed service's meters are gone");
      assertNotNull(registry.find("mesh.endpoints.total").tag("mesh.service", "mathoid").gauge());

      apply(mesh, background("mathoid", mathoidSource, check(Duration.ofHours(1))));
      awaitScheduled(scheduler, 2);
      apply(mesh, background("mathoid", mathoidSource, check(Duration.ofHours(2))));
      awaitScheduled(scheduler, 2); // the changed check replaced the old one
      apply(mesh, mathoid);
      awaitScheduled(scheduler, 1);
    }
    assertTrue(mathoidSource.closed);
  }

  @Test
  void turningHealthChecksOffCountsEveryEndpointHealthyAgain() throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service(
                mathoid(
                    s ->
                        s.healthCheck(
                            HealthCheck.http("/healthz")
                                .interval(Duration.ofHours(1))
                                .unhealthyThreshold(1)
                                .build())))
            .build()) {
      Invokers.context(mesh)
          .useHealthProber(
              (service, endpoint, path, timeout) ->
                  CompletableFuture.completedFuture(endpoint.equals(A) ? 503 : 200));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (status(mesh, A).healthy() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(!status(mesh, A).healthy(), "the first round, at once, fails A");

      apply(mesh, mathoid(s -> {}));
      assertTrue(status(mesh, A).healthy());
      exchange.sentTo.clear();
      call(mesh, 2);
      assertEquals(Set.of(A, B), Set.copyOf(exchange.sentTo));
    }
  }

  /**
   * A service with hourly sweeps and {@code check}: no periodic task runs during the test, so the
   * scheduler's queue holds every one of them while the test counts.
   */
  private static ServiceConfig background(String name, DiscoverySource source, HealthCheck check) {
    return ServiceConfig.builder(name)
        .discovery(source)
        .outlierDetection(OutlierDetection.builder().interval(Duration.ofHours(1)).build())
        .healthCheck(check)
        .build();
  }

  private static HealthCheck check(Duration interval) {
    return HealthCheck.http("/healthz").interval(interval).build();
  }

  private static CompletableFuture<Integer> ok() {
    return CompletableFuture.completedFuture(200);
  }

  /** Waits, at most 10 s, until the mesh's scheduler holds {@code count} tasks. */
  private static void awaitScheduled(ScheduledThreadPoolExecutor scheduler, int count)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    // A periodic task leaves the queue while it runs (a health check's first round runs at once);
    // the count settles once it is back.
    while (scheduler.getQueue().size() != count && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    assertEquals(count, scheduler.getQueue().size(), "tasks on the mesh's scheduler");
  }

  /** A static source that shows the test the mesh's scheduler and whether it was closed. */
  private static final class SchedulerSource implements DiscoverySource {
    private final StaticDiscovery endpoints;
    volatile ScheduledExecutorService scheduler;
    volatile boolean closed;

    SchedulerSource(Endpoint... endpoints) {
      this.endpoints = StaticDiscovery.of(endpoints);
    }

    @Override
    public Watch watch(ServiceName service, DiscoveryListener listener, DiscoveryContext context) {
      scheduler = context.scheduler();
      endpoints.watch(service, listener, context);
      return () -> closed = true;
    }

    @Override
    public String describe() {
      return "scheduler-showing " + endpoints.describe();
    }
  }
}

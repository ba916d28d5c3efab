package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mesh's background work runs on the scheduler its clock makes, so a clock moved by hand also
 * moves the periodic work: here an ejection ends by moving the clock and running what its scheduler
 * holds, without reaching into the outlier detector.
 */
class ClockSchedulerTest {

  /** A periodic task as the mesh handed it to the clock's scheduler. */
  record Periodic(Runnable task, long initialDelayNanos, long delayNanos) {}

  /** A manual clock whose scheduler records periodic tasks instead of running them. */
  static final class SchedulingClock implements MeshClock {
    final ManualClock time = new ManualClock();
    final List<Periodic> periodic = new CopyOnWriteArrayList<>();
    volatile boolean shutDown;

    @Override
    public long nanoTime() {
      return time.nanoTime();
    }

    @Override
    public Instant now() {
      return time.now();
    }

    @Override
    public ScheduledExecutorService newScheduler(ThreadFactory threads) {
      return new ScheduledThreadPoolExecutor(1, threads) {
        @Override
        public ScheduledFuture<?> scheduleWithFixedDelay(
            Runnable task, long initialDelay, long delay, TimeUnit unit) {
          periodic.add(new Periodic(task, unit.toNanos(initialDelay), unit.toNanos(delay)));
          return schedule(() -> {}, 1, TimeUnit.DAYS);
        }

        @Override
        public List<Runnable> shutdownNow() {
          shutDown = true;
          return super.shutdownNow();
        }
      };
    }
  }

  @Test
  void outlierSweepsRunOnTheClocksSchedulerSoMovingTheClockEndsAnEjection() throws IOException {
    SchedulingClock clock = new SchedulingClock();
    ScriptedExchange failingFirst =
        new ScriptedExchange((endpoint, attempt) -> endpoint.port() == 1 ? 503 : 200);
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:1", "10.0.0.2:2")
                        .loadBalancer(LoadBalancers.roundRobin())
                        .retries(RetryPolicy.disabled())
                        .circuitBreaker(CircuitBreakerPolicy.disabled())
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(1)
                                .interval(Duration.ofSeconds(7))
                                .baseEjectionTime(Duration.ofSeconds(30))
                                .build()))
            .build();
    try (mesh) {
      assertEquals(1, clock.periodic.size(), "the outlier sweep: " + clock.periodic);
      Periodic sweep = clock.periodic.get(0);
      assertEquals(Duration.ofSeconds(7).toNanos(), sweep.delayNanos());
      assertEquals(Duration.ofSeconds(7).toNanos(), sweep.initialDelayNanos());

      Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), failingFirst);
      Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), failingFirst);
      assertTrue(status(mesh).ejected(), "one 503 ejects with consecutive5xx(1)");

      clock.time.advance(Duration.ofSeconds(30));
      sweep.task().run(); // what the clock's scheduler runs once the clock passed its time
      assertTrue(status(mesh).usable(), "the ejection ended on the mesh clock");
    }
    assertTrue(clock.shutDown, "closing the mesh shuts down the scheduler its clock made");
  }

  private static EndpointStatus status(Mesh mesh) {
    return mesh.endpointStatus("mathoid").stream()
        .filter(s -> s.endpoint().port() == 1)
        .findFirst()
        .orElseThrow();
  }
}

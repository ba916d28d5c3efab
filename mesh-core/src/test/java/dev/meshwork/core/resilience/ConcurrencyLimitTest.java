package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Invokers;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.ConcurrencyLimits;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Limits fail fast instead of queueing. Calls are held on latches, never timed. */
class ConcurrencyLimitTest {
  private final CountDownLatch release = new CountDownLatch(1);

  private ScriptedExchange holding(CountDownLatch started) {
    return new ScriptedExchange(
        (endpoint, attempt) -> {
          started.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return 200;
        });
  }

  @Test
  void beyondMaxRequestsAndPendingACallIsRefusedAtOnce() throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .limits(new ConcurrencyLimits(2, 0, 100)))
            .build()) {
      CountDownLatch started = new CountDownLatch(2);
      ScriptedExchange exchange = holding(started);
      ExecutorService callers = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> a =
            callers.submit(() -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        Future<Integer> b =
            callers.submit(() -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        MeshException.ConcurrencyLimited e =
            assertThrows(
                MeshException.ConcurrencyLimited.class,
                () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertEquals(
            "service 'mathoid': limit reached: maxRequests 2 in flight and maxPending 0 waiting",
            e.getMessage());
        release.countDown();
        assertEquals(200, a.get());
        assertEquals(200, b.get());
        assertEquals(
            200,
            Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange),
            "slots are returned");
      } finally {
        callers.shutdownNow();
      }
    }
  }

  @Test
  void anEndpointAtItsConnectionLimitIsPassedOverThenAllFull() throws Exception {
    try (Mesh mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .limits(new ConcurrencyLimits(100, 0, 1)))
            .build()) {
      CountDownLatch firstStarted = new CountDownLatch(1);
      CountDownLatch bothStarted = new CountDownLatch(2);
      ScriptedExchange exchange =
          holding(
              new CountDownLatch(0) {
                @Override
                public void countDown() {
                  firstStarted.countDown();
                  bothStarted.countDown();
                }
              });
      ExecutorService callers = Executors.newFixedThreadPool(2);
      try {
        Future<Integer> a =
            callers.submit(() -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertTrue(firstStarted.await(10, TimeUnit.SECONDS));
        // The first call holds its endpoint's only connection: the second must land on the other
        // one.
        Future<Integer> b =
            callers.submit(() -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertTrue(bothStarted.await(10, TimeUnit.SECONDS), "both endpoints took one call");
        assertEquals(2, java.util.Set.copyOf(exchange.sentTo).size());
        MeshException.ConcurrencyLimited e =
            assertThrows(
                MeshException.ConcurrencyLimited.class,
                () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertEquals(
            "service 'mathoid': limit reached: all 2 endpoints are at maxConnectionsPerEndpoint 1",
            e.getMessage());
        release.countDown();
        a.get();
        b.get();
      } finally {
        callers.shutdownNow();
      }
    }
  }
}

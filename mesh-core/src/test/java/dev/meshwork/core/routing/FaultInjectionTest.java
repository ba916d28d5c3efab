package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.exception.MeshException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fault injection on a manual clock (an injected delay moves it instead of blocking) and a
 * no-network transport that records which calls reached a backend. Draws are seeded (mesh seed 3);
 * shares are checked against the configured percentage with a stated tolerance.
 */
class FaultInjectionTest {
  private final ManualClock clock = new ManualClock();
  private final ScriptedExchange exchange = ScriptedExchange.always(200);
  private Mesh mesh;

  @AfterEach
  void close() {
    if (mesh != null) {
      mesh.close();
    }
  }

  private Mesh mesh(Route route) {
    mesh =
        Mesh.builder()
            .clock(clock)
            .randomSeed(3)
            .service(
                "mathoid",
                s ->
                    s.endpoints("10.0.0.1:80", "10.0.0.2:80")
                        .routes(RouteTable.builder().route(route).build()))
            .build();
    return mesh;
  }

  private int call(RoutedRequest request) throws IOException {
    return Invokers.of(mesh, "mathoid").invoke(request, exchange);
  }

  @Test
  void abortHitsItsPercentageAndNeverReachesABackend() throws IOException {
    mesh(Route.builder("chaos").fault(f -> f.abortStatus(503, 5)).build());
    int aborted = 0;
    for (int i = 0; i < 10_000; i++) {
      int sentBefore = exchange.sentTo.size();
      int status = call(RoutedRequest.get("/"));
      if (status == 503) {
        aborted++;
        assertEquals(
            sentBefore,
            exchange.sentTo.size(),
            "an aborted call reaches no backend and is not retried");
      }
    }
    // 5% of 10,000 = 500; tolerance +-100 (binomial sd is about 22).
    assertEquals(500, aborted, 100);
    assertEquals(10_000 - aborted, exchange.sentTo.size());
  }

  @Test
  void delayHitsItsPercentageAndTheCallStillSucceeds() throws IOException {
    mesh(Route.builder("slow").fault(f -> f.delay(Duration.ofMillis(250), 20)).build());
    long start = clock.nanoTime();
    for (int i = 0; i < 5_000; i++) {
      assertEquals(200, call(RoutedRequest.get("/")));
    }
    long delayed = (clock.nanoTime() - start) / Duration.ofMillis(250).toNanos();
    // 20% of 5,000 = 1,000; tolerance +-100 (binomial sd is about 28).
    assertEquals(1_000, delayed, 100);
    assertEquals(5_000, exchange.sentTo.size());
  }

  @Test
  void triggerHeaderLimitsTheFaultToCallsThatCarryIt() throws IOException {
    mesh(
        Route.builder("chaos")
            .fault(f -> f.abortStatus(500, 100).onlyWithHeader("x-chaos"))
            .build());
    for (int i = 0; i < 100; i++) {
      assertEquals(200, call(RoutedRequest.get("/")));
      assertEquals(500, call(RoutedRequest.get("/").with("x-chaos", "1")));
    }
    assertEquals(100, exchange.sentTo.size(), "only calls without the header reached a backend");
  }

  @Test
  void connectionAbortFailsNamingServiceAndRoute() {
    mesh(Route.builder("cut").pathPrefix("/render").fault(f -> f.abortConnection(100)).build());
    MeshException.FaultInjected e =
        assertThrows(MeshException.FaultInjected.class, () -> call(RoutedRequest.get("/render")));
    assertTrue(e.getMessage().startsWith("service 'mathoid'"), e.getMessage());
    assertTrue(
        e.getMessage().contains("fault injected by route 'cut': connection error"), e.getMessage());
    assertEquals(0, exchange.sentTo.size());
  }

  @Test
  void delayAndAbortCombineDelayFirst() throws IOException {
    mesh(
        Route.builder("both")
            .fault(f -> f.delay(Duration.ofSeconds(1), 100).abortStatus(504, 100))
            .build());
    long start = clock.nanoTime();
    assertEquals(504, call(RoutedRequest.get("/")));
    assertEquals(Duration.ofSeconds(1).toNanos(), clock.nanoTime() - start);
  }

  @Test
  void routesWithoutAFaultInjectNothing() throws IOException {
    mesh(Route.builder("plain").build());
    long start = clock.nanoTime();
    for (int i = 0; i < 1_000; i++) {
      assertEquals(200, call(RoutedRequest.get("/")));
    }
    assertEquals(1_000, exchange.sentTo.size());
    assertEquals(start, clock.nanoTime());
  }
}

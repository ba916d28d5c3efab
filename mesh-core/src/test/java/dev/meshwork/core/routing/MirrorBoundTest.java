package dev.meshwork.core.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.internal.pipeline.DecisionKind;
import dev.meshwork.core.internal.pipeline.HeardDecisions;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mirror's in-flight bound, read from the decisions the pipeline records on the calling thread
 * (so no waiting on the copies' threads): copies beyond the bound are dropped, and a live swap of
 * the same route keeps the count of copies still running. The transport sends nothing; its copies
 * block until the test ends, as a stuck mirror would.
 */
class MirrorBoundTest {
  private static final Endpoint V1 =
      Endpoint.builder("10.0.1.1", 80).label("version", "v1").build();
  private static final Endpoint V2 =
      Endpoint.builder("10.0.2.1", 80).label("version", "v2").build();

  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> mirrorDecisions = new CopyOnWriteArrayList<>();
  private Mesh mesh;

  @AfterEach
  void close() {
    release.countDown();
    if (mesh != null) {
      mesh.close();
    }
  }

  private static RouteTable table(int maxInFlight) {
    return RouteTable.builder()
        .subset("v1", "version", "v1")
        .subset("v2", "version", "v2")
        .route(
            Route.builder("shadow")
                .to("v1")
                .mirror("v2", 100, maxInFlight, Duration.ofSeconds(30))
                .build())
        .build();
  }

  /** One call; returns the mirror decision it produced. */
  private String call() throws IOException {
    int before = mirrorDecisions.size();
    assertEquals(
        200, Invokers.of(mesh, "mathoid").invoke(RoutedRequest.get("/"), new HeldMirrors()));
    assertEquals(before + 1, mirrorDecisions.size(), mirrorDecisions.toString());
    return mirrorDecisions.get(before);
  }

  @Test
  void copiesBeyondTheBoundAreDroppedAndASwapOfTheSameRouteKeepsTheCount() throws IOException {
    mesh = Mesh.builder().service("mathoid", s -> s.endpoints(V1, V2).routes(table(2))).build();
    Invokers.runtime(mesh, "mathoid")
        .addListeners(
            HeardDecisions.of(
                (kind, endpoint, detail) -> {
                  if (kind == DecisionKind.MIRROR) {
                    mirrorDecisions.add(detail);
                  }
                }));
    assertTrue(call().startsWith("copied: route shadow to " + V2.address()));
    assertTrue(call().startsWith("copied:"));
    assertEquals("dropped: route shadow has 2 copies in flight", call());

    mesh.replaceRoutes("mathoid", table(2));
    assertEquals(
        "dropped: route shadow has 2 copies in flight",
        call(),
        "the swap kept the two running copies' count");

    mesh.replaceRoutes("mathoid", table(3));
    assertTrue(call().startsWith("copied:"), "a new bound starts a new count");
  }

  /** Answers every attempt with 200; each mirror copy blocks until the test ends. */
  private final class HeldMirrors implements Exchange<Integer> {
    @Override
    public Integer send(Endpoint endpoint, AttemptContext attempt) {
      return 200;
    }

    @Override
    public int status(Integer response) {
      return response;
    }

    @Override
    public boolean canMirror() {
      return true;
    }

    @Override
    public void mirror(Endpoint endpoint, long timeoutNanos) throws IOException {
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void discard(Integer response) {}
  }
}

package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshDeadline;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The retry loop and deadlines, on a manual clock: back-off moves the clock instead of sleeping.
 */
class RetryStageTest {
  private final ManualClock clock = new ManualClock();

  private Mesh mesh(Consumer<ServiceConfig.Builder> extra) {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s -> {
              s.endpoints("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80")
                  .loadBalancer(LoadBalancers.roundRobin())
                  .outlierDetection(OutlierDetection.disabled())
                  .circuitBreaker(CircuitBreakerPolicy.disabled());
              extra.accept(s);
            })
        .build();
  }

  private static ScriptedExchange failingOn(String address, IOException failure) {
    return new ScriptedExchange(
        (endpoint, attempt) -> {
          if (endpoint.address().equals(address)) {
            throw failure;
          }
          return 200;
        });
  }

  @Test
  void aConnectFailureIsRetriedOnAnotherEndpointEvenForPost() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange =
          failingOn("10.0.0.1:80", new ConnectException("Connection refused"));
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.post(), exchange));
      assertEquals(2, exchange.sentTo.size());
      assertNotEquals(
          exchange.sentTo.get(0),
          exchange.sentTo.get(1),
          "the retry must prefer an untried endpoint");
    }
  }

  @Test
  void aResetIsRetriedForGetButNeverForPost() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange forGet = failingOn("10.0.0.1:80", new SocketException("Connection reset"));
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), forGet));
      assertEquals(2, forGet.sentTo.size());

      ScriptedExchange forPost =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                throw new SocketException("Connection reset");
              });
      MeshException.EndpointFailed e =
          assertThrows(
              MeshException.EndpointFailed.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.post(), forPost));
      assertEquals(
          1, forPost.sentTo.size(), "a POST that may have reached the server is not sent again");
      assertTrue(
          e.getMessage()
              .contains(forPost.sentTo.get(0).address() + ": SocketException: Connection reset"),
          e.getMessage());
    }
  }

  @Test
  void aPostMarkedIdempotentIsRetriedAfterAReset() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange = failingOn("10.0.0.1:80", new SocketException("Connection reset"));
      TestRequest post = new TestRequest("POST", CallOptions.builder().idempotent(true).build());
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(post, exchange));
      assertEquals(2, exchange.sentTo.size());
    }
  }

  @Test
  void retriableStatusesAreRetriedAndTheFailedResponseReleased() throws IOException {
    try (Mesh mesh = mesh(s -> s.retries(RetryPolicy.builder().maxAttempts(3).build()))) {
      ScriptedExchange exchange =
          new ScriptedExchange((endpoint, attempt) -> attempt.attempt() < 2 ? 503 : 200);
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(3, exchange.sentTo.size());
      assertEquals(
          3, Set.copyOf(exchange.sentTo).size(), "each retry goes to an endpoint not tried yet");
      assertEquals(java.util.List.of(503, 503), exchange.discarded);
    }
  }

  @Test
  void whenAttemptsRunOutTheLastResponseIsReturned() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange = ScriptedExchange.always(503);
      assertEquals(503, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(2, exchange.sentTo.size(), "default policy: one retry");
    }
  }

  @Test
  void statusesOutsideTheListAreNotRetried() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange = ScriptedExchange.always(500);
      assertEquals(500, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(1, exchange.sentTo.size());
    }
  }

  @Test
  void perCallOptionsOverrideThePolicy() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange = ScriptedExchange.always(503);
      TestRequest noRetry = new TestRequest("GET", CallOptions.builder().maxAttempts(1).build());
      assertEquals(503, Invokers.of(mesh, "mathoid").invoke(noRetry, exchange));
      assertEquals(1, exchange.sentTo.size());
    }
  }

  @Test
  void retryAfterIsHonouredWhenShortAndEndsRetriesWhenLong() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange shortWait =
          new ScriptedExchange((endpoint, attempt) -> attempt.attempt() == 0 ? 503 : 200)
              .retryAfter(503, "1");
      long before = clock.nanoTime();
      assertEquals(200, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), shortWait));
      assertTrue(
          clock.nanoTime() - before >= Duration.ofSeconds(1).toNanos(),
          "waited at least the Retry-After");

      ScriptedExchange longWait = ScriptedExchange.always(503).retryAfter(503, "120");
      assertEquals(503, Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), longWait));
      assertEquals(
          1, longWait.sentTo.size(), "a Retry-After beyond maxRetryAfter (1 s) ends the retries");
    }
  }

  @Test
  void theDeadlineBoundsEachAttemptAndEndsTheCall() {
    try (Mesh mesh =
        mesh(
            s ->
                s.timeout(Duration.ofMillis(300))
                    .perTryTimeout(Duration.ofMillis(200))
                    .retries(RetryPolicy.builder().maxAttempts(5).build()))) {
      ScriptedExchange exchange =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                // The transport would wait out its bound before timing out; the manual clock stands
                // in for that wait.
                clock.advance(Duration.ofNanos(attempt.timeoutNanos()));
                throw new SocketTimeoutException("timeout");
              });
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertTrue(e.getMessage().startsWith("service 'mathoid' endpoint 10.0.0."), e.getMessage());
      assertTrue(e.getMessage().contains("deadline"), e.getMessage());
      assertInstanceOf(MeshException.EndpointFailed.class, e.getCause());
      assertEquals(
          Duration.ofMillis(200).toNanos(),
          exchange.timeouts.get(0),
          "first attempt: the per-try bound");
      assertTrue(
          exchange.timeouts.get(1) <= Duration.ofMillis(100).toNanos(),
          "second attempt: cut to what the deadline leaves, was " + exchange.timeouts.get(1));
      assertEquals(2, exchange.sentTo.size(), "no third attempt after the deadline");
    }
  }

  /** An attempt that waits {@code wait} on the clock, then times out reading. */
  private ScriptedExchange timingOutAfter(Duration wait) {
    return new ScriptedExchange(
        (endpoint, attempt) -> {
          clock.advance(wait);
          throw new SocketTimeoutException("Read timed out");
        });
  }

  @Test
  void aDeadlineThatLeavesNoTimeToRetrySaysTheDeadlineTheTimeUsedAndTheAttemptsOnce() {
    try (Mesh mesh = mesh(s -> s.timeout(Duration.ofMillis(300)))) {
      ScriptedExchange exchange = timingOutAfter(Duration.ofMillis(300));
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(
          "service 'mathoid' endpoint "
              + exchange.sentTo.get(0).address()
              + ": deadline of 300 ms leaves no time"
              + " to retry after 300 ms and 1 attempt; the last failed: SocketTimeoutException: Read timed out",
          e.getMessage());
    }
  }

  @Test
  void aRoutesTimeoutTakesThePlaceOfTheServicesAndAPerCallTimeoutStillWins() {
    RouteTable routes =
        RouteTable.builder()
            .route(Route.builder("posts").methods("POST").timeout(Duration.ofSeconds(1)).build())
            .route(Route.builder("rest").build())
            .build();
    try (Mesh mesh =
        mesh(
            s ->
                s.timeout(Duration.ofMillis(300))
                    .retries(RetryPolicy.builder().maxAttempts(1).build())
                    .routes(routes))) {
      MeshException.DeadlineExceeded get =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(TestRequest.get(), timingOutAfter(Duration.ofMillis(310))));
      assertTrue(get.getMessage().contains("deadline of 300 ms exceeded"), get.getMessage());

      IOException post =
          assertThrows(
              IOException.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(TestRequest.post(), timingOutAfter(Duration.ofMillis(310))));
      assertTrue(
          !(post instanceof MeshException.DeadlineExceeded),
          "the route's 1 s deadline has not passed: " + post);
      MeshException.DeadlineExceeded late =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(TestRequest.post(), timingOutAfter(Duration.ofMillis(1010))));
      assertTrue(late.getMessage().contains("deadline of 1000 ms exceeded"), late.getMessage());

      TestRequest bounded =
          new TestRequest("POST", CallOptions.builder().timeout(Duration.ofMillis(100)).build());
      MeshException.DeadlineExceeded perCall =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () ->
                  Invokers.of(mesh, "mathoid")
                      .invoke(bounded, timingOutAfter(Duration.ofMillis(110))));
      assertTrue(
          perCall.getMessage().contains("deadline of 100 ms exceeded"), perCall.getMessage());
    }
  }

  @Test
  void aDeadlineExceededSaysTheDeadlineTheTimeUsedAndTheAttemptsOnce() {
    try (Mesh mesh =
        mesh(
            s ->
                s.timeout(Duration.ofMillis(300))
                    .retries(RetryPolicy.builder().maxAttempts(1).build()))) {
      ScriptedExchange exchange = timingOutAfter(Duration.ofMillis(310));
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      assertEquals(
          "service 'mathoid' endpoint "
              + exchange.sentTo.get(0).address()
              + ": deadline of 300 ms exceeded"
              + " after 310 ms and 1 attempt; the last failed: SocketTimeoutException: Read timed out",
          e.getMessage());
    }
  }

  @Test
  void anInheritedDeadlineTightensTheServiceTimeout() throws IOException {
    try (Mesh mesh = mesh(s -> s.timeout(Duration.ofSeconds(10)))) {
      ScriptedExchange exchange = ScriptedExchange.always(200);
      try (MeshDeadline.Scope scope = MeshDeadline.enter(Duration.ofMillis(250), clock)) {
        Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      }
      assertEquals(Duration.ofMillis(250).toNanos(), exchange.timeouts.get(0));

      try (MeshDeadline.Scope scope = MeshDeadline.enter(Duration.ZERO, clock)) {
        MeshException.DeadlineExceeded e =
            assertThrows(
                MeshException.DeadlineExceeded.class,
                () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
        assertEquals(
            "service 'mathoid': the deadline inherited from the caller had passed 0 ms before the first attempt;"
                + " no attempt was made",
            e.getMessage());
      }
      assertEquals(1, exchange.sentTo.size(), "an expired inherited deadline sends nothing");
    }
  }

  @Test
  void aCallWithoutDeadlineHasUnboundedAttempts() throws IOException {
    try (Mesh mesh = mesh(s -> {})) {
      ScriptedExchange exchange = ScriptedExchange.always(200);
      Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange);
      assertEquals(Long.MAX_VALUE, exchange.timeouts.get(0));
    }
  }

  @Test
  void deadlineHeaderParsingNamesTheHeaderAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MeshDeadline.fromHeader("soon"));
    assertEquals(
        "x-mesh-timeout-ms: 'soon' is invalid; expected the remaining time as whole milliseconds, 0 or more",
        e.getMessage());
    try (MeshDeadline.Scope none = MeshDeadline.fromHeader(null)) {
      assertEquals(Long.MAX_VALUE, MeshDeadline.currentRemainingNanos());
    }
  }
}

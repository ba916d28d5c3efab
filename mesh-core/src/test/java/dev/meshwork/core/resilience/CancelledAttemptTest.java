package dev.meshwork.core.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Invokers;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.ScriptedExchange;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.TestRequest;
import dev.meshwork.core.exception.MeshException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which failed attempts are a verdict on their endpoint, under the default outlier detection (eject
 * after 5 consecutive failures) and breaker. A timeout at the attempt's own per-try bound is (as in
 * Envoy); the call's deadline running out, or the caller cancelling, is not. Hedged losers are in
 * {@link HedgingTest}.
 */
class CancelledAttemptTest {
  private static final String ADDRESS = "10.0.0.1:80";
  private final ManualClock clock = new ManualClock();

  private Mesh mesh(Consumer<ServiceConfig.Builder> extra) {
    return Mesh.builder()
        .clock(clock)
        .service(
            "mathoid",
            s -> {
              s.endpoints(ADDRESS);
              extra.accept(s);
            })
        .build();
  }

  /** Each attempt waits {@code wait} on the clock, then times out reading. */
  private ScriptedExchange timingOutAfter(Duration wait) {
    return new ScriptedExchange(
        (endpoint, attempt) -> {
          clock.advance(wait);
          throw new SocketTimeoutException("Read timed out");
        });
  }

  private static EndpointStatus status(Mesh mesh) {
    return mesh.endpointStatus("mathoid").get(0);
  }

  @Test
  void anAttemptTheCallsDeadlineCutShortIsNoVerdictOnItsEndpoint() {
    try (Mesh mesh = mesh(s -> s.timeout(Duration.ofMillis(300)))) {
      ScriptedExchange exchange = timingOutAfter(Duration.ofMillis(300));
      for (int i = 0; i < 6; i++) {
        assertThrows(
            MeshException.DeadlineExceeded.class,
            () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      }
      assertEquals(6, exchange.sentTo.size());
      assertFalse(status(mesh).ejected(), status(mesh).toString());
      assertEquals(0, status(mesh).failures(), status(mesh).toString());
    }
  }

  @Test
  void aPerTryTimeoutIsAVerdictOnItsEndpoint() {
    try (Mesh mesh =
        mesh(s -> s.timeout(Duration.ofSeconds(10)).perTryTimeout(Duration.ofMillis(100)))) {
      ScriptedExchange exchange = timingOutAfter(Duration.ofMillis(100));
      for (int i = 0; i < 5; i++) {
        assertThrows(
            MeshException.EndpointFailed.class,
            () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      }
      assertEquals(exchange.sentTo.size(), status(mesh).failures(), status(mesh).toString());
      assertTrue(status(mesh).ejected(), "5 consecutive timeouts eject it: " + status(mesh));
    }
  }

  @Test
  void anAttemptTheCallerCancelledIsNoVerdictAndIsNotRetried() {
    try (Mesh mesh = mesh(s -> s.endpoints("10.0.0.2:80"))) {
      ScriptedExchange exchange =
          new ScriptedExchange(
              (endpoint, attempt) -> {
                throw new IOException("Canceled");
              });
      exchange.callerCancelled = true;
      for (int i = 0; i < 6; i++) {
        assertThrows(
            MeshException.EndpointFailed.class,
            () -> Invokers.of(mesh, "mathoid").invoke(TestRequest.get(), exchange));
      }
      assertEquals(
          6, exchange.sentTo.size(), "a cancelled call is not retried: " + exchange.sentTo);
      for (EndpointStatus status : mesh.endpointStatus("mathoid")) {
        assertFalse(status.ejected(), status.toString());
        assertEquals(0, status.failures(), status.toString());
      }
    }
  }
}

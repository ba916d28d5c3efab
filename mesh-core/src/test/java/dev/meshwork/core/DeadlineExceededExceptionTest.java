package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.core.exception.MeshException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a missed deadline names the endpoints the call was waiting on. */
class DeadlineExceededExceptionTest {
  private static final ServiceName SERVICE = ServiceName.of("mathoid");
  private static final Endpoint FIRST = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint SECOND = Endpoint.of("10.0.0.2", 80);

  @Test
  void hedgedAttemptsInFlightAreAllNamed() {
    MeshException.DeadlineExceeded e =
        MeshException.DeadlineExceeded.inFlightAt(
            SERVICE, List.of(FIRST, SECOND), "deadline of 300 ms exceeded after 2 attempts", null);

    assertEquals(List.of(FIRST, SECOND), e.endpoints());
    assertEquals(Optional.empty(), e.endpoint());
    assertEquals(
        "service 'mathoid': deadline of 300 ms exceeded after 2 attempts;"
            + " hedged attempts were in flight at 10.0.0.1:80 and 10.0.0.2:80",
        e.getMessage());
  }

  @Test
  void oneEndpointIsNamedThroughTheConstructor() {
    MeshException.DeadlineExceeded e =
        new MeshException.DeadlineExceeded(SERVICE, FIRST, "deadline of 300 ms exceeded", null);

    assertEquals(List.of(FIRST), e.endpoints());
    assertEquals(Optional.of(FIRST), e.endpoint());
  }

  @Test
  void fewerThanTwoInFlightIsRefusedNamingTheArgumentAndWhatWasExpected() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                MeshException.DeadlineExceeded.inFlightAt(
                    SERVICE, List.of(FIRST), "deadline exceeded", null));

    assertEquals(
        "inFlight: expected two or more endpoints, got 1 ["
            + FIRST
            + "]; name a single endpoint"
            + " with the constructor",
        e.getMessage());
  }
}

package dev.meshwork.core.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.meshwork.core.Endpoint;
import org.junit.jupiter.api.Test;

/** The per-state view the hot path reads instead of the public record. */
class EndpointStateTest {

  @Test
  void theAddressIsFormattedOnceAndKeptWithTheState() {
    EndpointState v6 =
        new EndpointState(Endpoint.builder("::1", 8080).weight(3).build(), new EndpointStats(0));
    String address = v6.address();
    assertEquals("[::1]:8080", address);
    assertSame(
        address,
        v6.address(),
        "a pick's decision and span ask per attempt: one string, not one per ask");
    assertEquals(
        "10.0.0.1:80",
        new EndpointState(Endpoint.of("10.0.0.1", 80), new EndpointStats(0)).address());
  }
}

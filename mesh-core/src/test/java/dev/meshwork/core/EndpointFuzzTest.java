package dev.meshwork.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.exception.MeshConfigException;
import java.nio.charset.StandardCharsets;
import java.util.TreeMap;

/**
 * Fuzzes the string form of an endpoint ({@code host:port [weight=N] [zone=Z] [key=value ...]}),
 * which static configuration and the endpoints file's {@code address} use: it parses, and then
 * renders back to text that parses to the same endpoint, or is refused with a {@link
 * MeshConfigException} naming the endpoint field. Seeds: {@code
 * src/test/resources/dev/meshwork/core/EndpointFuzzTestInputs}.
 */
class EndpointFuzzTest {

  @FuzzTest
  void parse(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Endpoint endpoint;
    try {
      endpoint = Endpoint.parse(text);
    } catch (MeshConfigException e) {
      assertTrue(e.field().startsWith("endpoint"), "the refusal names the endpoint: " + e);
      return;
    }
    StringBuilder rendered = new StringBuilder(endpoint.address());
    rendered.append(" weight=").append(endpoint.weight());
    if (!endpoint.zone().isEmpty()) {
      rendered.append(" zone=").append(endpoint.zone());
    }
    // Sorted, so the same endpoint always renders the same text.
    new TreeMap<>(endpoint.labels())
        .forEach((key, value) -> rendered.append(' ').append(key).append('=').append(value));
    Endpoint again = Endpoint.parse(rendered.toString());
    assertEquals(endpoint, again, "round trip through '" + rendered + "'");
    assertEquals(endpoint.address(), Endpoint.parse(endpoint.address()).address());
    assertEquals(endpoint, endpoint.toBuilder().build(), "toBuilder");
  }
}

package dev.meshwork.admin.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The admin pages' JSON: browser-safe escaping, durations in milliseconds, no non-finite numbers.
 */
class JsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void stringsWithQuotesControlCharactersAndHtmlRoundTripEscaped() throws Exception {
    String nasty = "a\"b\\c\nd\te\u0001f</script>\u2028\u2029é";
    String text = new String(Json.bytes(Json.object().put(nasty, nasty)), StandardCharsets.UTF_8);
    JsonNode node = MAPPER.readTree(text);
    assertEquals(nasty, node.get(nasty).asText());
    assertFalse(
        text.contains("</script>"), "'<' is escaped so the text is safe inside HTML: " + text);
    assertFalse(
        text.contains("\u2028") || text.contains("\u2029"), "line separators are escaped: " + text);
  }

  @Test
  void durationsAreMillisecondsOrNullAndNonFiniteNumbersNull() throws Exception {
    ObjectNode json = Json.object();
    Json.millis(json, "timeoutMs", Duration.ofSeconds(5));
    Json.millis(json, "noneMs", null);
    Json.number(json, "nan", Double.NaN);
    Json.number(json, "infinite", Double.POSITIVE_INFINITY);
    Json.number(json, "ratio", 1.5);
    JsonNode node = MAPPER.readTree(Json.bytes(json));
    assertEquals(5000, node.get("timeoutMs").asLong());
    assertTrue(node.get("noneMs").isNull());
    assertTrue(node.get("nan").isNull());
    assertTrue(node.get("infinite").isNull());
    assertEquals(1.5, node.get("ratio").asDouble());
  }
}

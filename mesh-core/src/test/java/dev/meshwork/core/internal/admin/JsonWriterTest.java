package dev.meshwork.core.internal.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin endpoint's JSON writer, read back by Jackson: commas, nesting, escaping, nulls. */
class JsonWriterTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void nestedDocumentsParseBackToTheSameValues() throws Exception {
    String text = new JsonWriter().beginObject()
        .field("name", "mathoid")
        .field("count", 3L)
        .field("ratio", 0.25)
        .field("on", true)
        .field("at", Instant.parse("2026-01-01T00:00:00Z"))
        .millis("timeoutMs", Duration.ofSeconds(5))
        .millis("noneMs", null)
        .field("missing", (String) null)
        .strings("list", List.of("a", "b"))
        .stringMap("labels", Map.of("k", "v"))
        .name("empty").beginArray().endArray()
        .name("objects").beginArray().beginObject().endObject().beginObject().field("x", 1L).endObject().endArray()
        .endObject().toString();

    JsonNode node = MAPPER.readTree(text);
    assertEquals("mathoid", node.get("name").asText());
    assertEquals(3, node.get("count").asLong());
    assertEquals(0.25, node.get("ratio").asDouble());
    assertTrue(node.get("on").asBoolean());
    assertEquals("2026-01-01T00:00:00Z", node.get("at").asText());
    assertEquals(5000, node.get("timeoutMs").asLong());
    assertTrue(node.get("noneMs").isNull());
    assertTrue(node.get("missing").isNull());
    assertEquals("[\"a\",\"b\"]", node.get("list").toString());
    assertEquals("v", node.get("labels").get("k").asText());
    assertEquals(0, node.get("empty").size());
    assertEquals(1, node.get("objects").get(1).get("x").asLong());
  }

  @Test
  void stringsWithQuotesBackslashesAndControlCharactersRoundTrip() throws Exception {
    String nasty = "a \"quoted\" \\ path\nline\ttab \u0001 \u2028 </script> é 😀";
    String text = new JsonWriter().beginObject().field(nasty, nasty).endObject().toString();

    JsonNode node = MAPPER.readTree(text);
    assertEquals(nasty, node.get(nasty).asText());
    assertFalse(text.contains("</script>"), "'<' is escaped so the text is safe inside HTML: " + text);
  }

  @Test
  void nonFiniteNumbersBecomeNull() throws Exception {
    JsonNode node = MAPPER.readTree(new JsonWriter().beginArray().value(Double.NaN).value(Double.POSITIVE_INFINITY)
        .value(1.5).endArray().toString());
    assertTrue(node.get(0).isNull());
    assertTrue(node.get(1).isNull());
    assertEquals(1.5, node.get(2).asDouble());
  }

  @Test
  void deepNestingGrowsTheStack() throws Exception {
    JsonWriter json = new JsonWriter();
    for (int i = 0; i < 40; i++) {
      json.beginArray().value(i);
    }
    for (int i = 0; i < 40; i++) {
      json.endArray();
    }
    JsonNode node = MAPPER.readTree(json.toString());
    for (int i = 0; i < 39; i++) {
      assertEquals(i, node.get(0).asInt());
      node = node.get(1);
    }
  }
}

package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/** Test documents and tree comparisons. */
final class Documents {
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();

  private Documents() {}

  static String resource(String name) {
    try (InputStream in = Documents.class.getResourceAsStream(name)) {
      assertNotNull(in, name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode tree(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Asserts that every value written in {@code written} appears, equal, at the same path of {@code
   * effective}: no setting was dropped or changed on the way through the model.
   */
  static void assertContains(JsonNode written, JsonNode effective, String path) {
    if (written.isObject()) {
      assertTrue(effective != null && effective.isObject(), path + " is an object in " + effective);
      Iterator<Map.Entry<String, JsonNode>> fields = written.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        assertContains(
            field.getValue(), effective.get(field.getKey()), path + "." + field.getKey());
      }
    } else if (written.isArray()) {
      assertTrue(effective != null && effective.isArray(), path + " is a list in " + effective);
      assertEquals(written.size(), effective.size(), path + " size");
      for (int i = 0; i < written.size(); i++) {
        assertContains(written.get(i), effective.get(i), path + "[" + i + "]");
      }
    } else if (written.isNumber()) {
      if (effective == null || !effective.isNumber()) {
        fail(path + ": " + written + " became " + effective);
      }
      assertEquals(
          0,
          written.decimalValue().compareTo(effective.decimalValue()),
          path + ": " + written + " became " + effective);
    } else {
      assertEquals(written, effective, path);
    }
  }
}

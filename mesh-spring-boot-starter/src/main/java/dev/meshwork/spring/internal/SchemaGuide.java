package dev.meshwork.spring.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads mesh-config's published JSON Schema to turn Spring's relaxed property names and text values
 * into the document's own: {@code max-attempts} and {@code MAXATTEMPTS} find {@code maxAttempts},
 * and {@code "3"} becomes the integer the schema asks for. Validation stays with mesh-config: where
 * the schema offers no match, the name and value are passed on as written, for it to refuse.
 */
final class SchemaGuide {
  private static final String RESOURCE = "dev/meshwork/config/meshwork-v1alpha1.schema.json";
  private static final SchemaGuide INSTANCE = new SchemaGuide(load());

  private final JsonNode root;

  private SchemaGuide(JsonNode root) {
    this.root = root;
  }

  static SchemaGuide get() {
    return INSTANCE;
  }

  /** The schema of the whole document. */
  JsonNode document() {
    return root;
  }

  /**
   * The document's name for {@code key} in an object of {@code schema}, and the schema of its
   * value; a map's keys (service names, labels) stay as written.
   */
  Child child(JsonNode schema, String key) {
    for (JsonNode candidate : alternatives(schema)) {
      JsonNode properties = candidate.path("properties");
      Iterator<String> names = properties.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        if (uniform(name).equals(uniform(key))) {
          return new Child(name, resolve(properties.get(name)));
        }
      }
    }
    for (JsonNode candidate : alternatives(schema)) {
      JsonNode additional = candidate.path("additionalProperties");
      if (additional.isObject()) {
        return new Child(key, resolve(additional));
      }
    }
    return new Child(key, missing());
  }

  /** The schema of an array's items. */
  JsonNode items(JsonNode schema) {
    for (JsonNode candidate : alternatives(schema)) {
      if (candidate.has("items")) {
        return resolve(candidate.get("items"));
      }
    }
    return missing();
  }

  /** The JSON type the schema wants for a scalar: integer, number, boolean, or empty. */
  Optional<String> scalarType(JsonNode schema) {
    for (JsonNode candidate : alternatives(schema)) {
      String type = candidate.path("type").asText("");
      if (type.equals("integer") || type.equals("number") || type.equals("boolean")) {
        return Optional.of(type);
      }
      if (type.equals("string") || candidate.has("enum") || candidate.has("pattern")) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The schema and, for {@code oneOf}/{@code anyOf}/{@code allOf}, each of its branches. */
  private List<JsonNode> alternatives(JsonNode schema) {
    List<JsonNode> all = new ArrayList<>();
    JsonNode resolved = resolve(schema);
    all.add(resolved);
    for (String combinator : List.of("oneOf", "anyOf", "allOf")) {
      for (JsonNode branch : resolved.path(combinator)) {
        all.add(resolve(branch));
      }
    }
    return all;
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    for (int depth = 0; depth < 16 && current.has("$ref"); depth++) {
      String ref = current.get("$ref").asText();
      current = ref.startsWith("#") ? root.at(ref.substring(1)) : missing();
    }
    return current;
  }

  private static JsonNode missing() {
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** Spring's uniform form: lower case, dashes and underscores dropped. */
  static String uniform(String name) {
    StringBuilder text = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      if (c != '-' && c != '_') {
        text.append(c);
      }
    }
    return text.toString().toLowerCase(Locale.ROOT);
  }

  /** A key as the document names it, and the schema of its value. */
  record Child(String name, JsonNode schema) {}

  private static JsonNode load() {
    ClassLoader loader = SchemaGuide.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is missing: mesh-config is not on the class path");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

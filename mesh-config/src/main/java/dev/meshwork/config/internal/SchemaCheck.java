package dev.meshwork.config.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Validates a document tree against the published JSON Schema (draft 2020-12). */
public final class SchemaCheck {
  /** Where the schema is, as a class-path resource; docs/config holds the same file. */
  public static final String RESOURCE = "dev/meshwork/config/meshwork-v1alpha1.schema.json";

  private static final Schema SCHEMA = load();

  private SchemaCheck() {}

  /** Adds a problem for each way {@code root} breaks the schema. */
  public static void check(JsonNode root, Problems problems) {
    List<Error> errors = SCHEMA.validate(root);
    for (Error error : errors) {
      String path = path(error.getInstanceLocation());
      String keyword = error.getKeyword() == null ? "" : error.getKeyword();
      String property = error.getProperty();
      JsonNode value = error.getInstanceNode();
      switch (keyword) {
        case "additionalProperties", "unevaluatedProperties" ->
            problems.add(
                DocPath.child(path, property),
                property,
                "a known field (unknown fields are refused, never ignored)");
        case "required" ->
            problems.add(DocPath.child(path, property), null, "field '" + property + "'");
        default -> problems.add(path, text(value), reason(error));
      }
    }
  }

  private static String text(JsonNode value) {
    if (value == null) {
      return null;
    }
    if (value.isValueNode()) {
      return value.asText();
    }
    String text = value.toString();
    return text.length() > 80 ? text.substring(0, 77) + "..." : text;
  }

  /** The validator's message without the path it starts with. */
  private static String reason(Error error) {
    String message = error.getMessage();
    int cut = message.indexOf(": ");
    if (message.startsWith("$") && cut > 0) {
      message = message.substring(cut + 2);
    }
    return message + " (schema " + error.getKeyword() + ")";
  }

  static String path(NodePath location) {
    String path = "";
    if (location == null) {
      return path;
    }
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      path =
          element instanceof Integer index
              ? DocPath.index(path, index)
              : DocPath.child(path, String.valueOf(element));
    }
    return path;
  }

  private static Schema load() {
    try (InputStream in = SchemaCheck.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the schema resource " + RESOURCE + " is missing");
      }
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

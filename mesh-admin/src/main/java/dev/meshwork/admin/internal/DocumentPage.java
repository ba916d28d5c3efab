package dev.meshwork.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.spi.Redaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mesh's effective document ({@code MeshConfig.of(mesh)}, every default filled in), in YAML or
 * JSON, as {@code meshwork config plan --against} reads it. Free text passes {@link Redaction}: a
 * label, a header value a route matches or pins, a path. This class links against mesh-config, an
 * optional dependency: {@link DocumentPages} loads it only after checking it is there.
 */
final class DocumentPage implements AdminPage {
  private static final String YAML_TYPE = "application/yaml; charset=utf-8";
  private static final ObjectMapper READER = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .build());

  /** Fields whose value belongs to the header a sibling field names. */
  private static final Set<String> HEADER_VALUES = Set.of("exact", "regex", "value");

  private final Mesh mesh;
  private final boolean json;

  DocumentPage(Mesh mesh, boolean json) {
    this.mesh = mesh;
    this.json = json;
  }

  @Override
  public AdminResponse render() throws Exception {
    JsonNode document = READER.readTree(MeshConfig.of(mesh).toJson());
    redact(document);
    return json
        ? AdminResponse.json(document)
        : AdminResponse.text(200, YAML_TYPE, YAML.writeValueAsString(document));
  }

  /** Replaces credentials in every text value, judging a header's value by the header's name. */
  static void redact(JsonNode node) {
    if (node instanceof ObjectNode object) {
      String header = text(object, "name");
      if (header == null) {
        header = text(object, "header");
      }
      List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(object.properties());
      for (Map.Entry<String, JsonNode> field : fields) {
        JsonNode value = field.getValue();
        if (value.isTextual()) {
          String key =
              header != null && HEADER_VALUES.contains(field.getKey()) ? header : field.getKey();
          String shown = Redaction.entry(key, value.asText());
          if (!shown.equals(value.asText())) {
            object.put(field.getKey(), shown);
          }
        } else {
          redact(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.get(i).isTextual()) {
          array.set(i, array.textNode(Redaction.text(array.get(i).asText())));
        } else {
          redact(array.get(i));
        }
      }
    }
  }

  private static String text(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }
}

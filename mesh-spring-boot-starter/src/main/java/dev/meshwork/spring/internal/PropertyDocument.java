package dev.meshwork.spring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.MeshConfig;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The {@code meshwork.*} properties of an environment as the mesh document they describe: {@code
 * meshwork.mesh.*} is the document's {@code mesh} section, {@code meshwork.services.*} its {@code
 * services}, with Spring's relaxed names and the usual precedence of property sources (a list is
 * taken whole from the highest source that sets any of it). The document is then checked and
 * compiled by mesh-config like any other; its problems are reported back under the property names
 * and origins that caused them.
 */
public final class PropertyDocument {
  /** The properties' prefix. */
  public static final String PREFIX = "meshwork";

  /** Names the properties as a configuration source, in status and errors. */
  public static final String SOURCE = "meshwork properties";

  /** The starter's own settings beside the document: not part of it. */
  private static final Set<String> OWN_KEYS =
      Set.of("configlocation", "watchinterval", "restclient");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(PREFIX);

  private final ObjectNode document;
  private final Map<String, String> propertyByPath;
  private final Map<String, String> originByPath;
  private final boolean empty;

  private PropertyDocument(
      ObjectNode document,
      Map<String, String> propertyByPath,
      Map<String, String> originByPath,
      boolean empty) {
    this.document = document;
    this.propertyByPath = propertyByPath;
    this.originByPath = originByPath;
    this.empty = empty;
  }

  /** Reads the {@code meshwork.*} properties of {@code environment} now. */
  public static PropertyDocument read(ConfigurableEnvironment environment) {
    Branch root = new Branch(PREFIX);
    Set<String> seen = new HashSet<>();
    Map<String, Integer> listOwners = new HashMap<>();
    int sourceIndex = 0;
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      sourceIndex++;
      if (!(source instanceof IterableConfigurationPropertySource iterable)) {
        continue;
      }
      for (ConfigurationPropertyName name : iterable) {
        if (!ROOT.isAncestorOf(name)
            || OWN_KEYS.contains(
                SchemaGuide.uniform(name.getElement(1, ConfigurationPropertyName.Form.ORIGINAL)))) {
          continue;
        }
        String key = name.toString();
        if (!seen.add(key) || ownedByAnotherSource(name, sourceIndex, listOwners)) {
          continue;
        }
        ConfigurationProperty property = source.getConfigurationProperty(name);
        if (property == null || property.getValue() == null) {
          continue;
        }
        Object value = property.getValue();
        if (value instanceof String text) {
          value = environment.resolvePlaceholders(text);
        }
        String origin = property.getOrigin() == null ? "" : property.getOrigin().toString();
        root.put(name, 1, new Leaf(value, written(name), origin));
      }
    }
    boolean empty = root.children.isEmpty();
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    document.put("apiVersion", "meshwork.dev/v1alpha1");
    document.put("kind", "Mesh");
    Map<String, String> properties = new HashMap<>();
    Map<String, String> origins = new HashMap<>();
    new Converter(properties, origins).fill(document, root, SchemaGuide.get().document(), "");
    return new PropertyDocument(document, properties, origins, empty);
  }

  /** Whether no document property is set (only the starter's own, or none). */
  public boolean isEmpty() {
    return empty;
  }

  /** The document, as JSON. */
  public String json() {
    try {
      return JSON.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A version for the configuration status: the start of the document's SHA-256. */
  public String version() {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(json().getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(hash, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks and compiles the document.
   *
   * @throws InvalidMeshPropertiesException naming each wrong property, its value, where it was set
   *     and what was expected
   */
  public MeshConfig compile() {
    try {
      return MeshConfig.parse(json(), "meshwork-properties.json");
    } catch (ConfigDocumentException e) {
      throw new InvalidMeshPropertiesException(describe(e), e);
    }
  }

  /** The problems of {@code refused} under the property names that caused them, one a line. */
  public String describe(ConfigDocumentException refused) {
    StringBuilder text = new StringBuilder("invalid meshwork.* properties:");
    for (ConfigDocumentException.Problem problem : refused.problems()) {
      text.append("\n  ").append(property(problem.path())).append(": ");
      if (!problem.value().isEmpty()) {
        text.append('\'').append(problem.value()).append("' is invalid; ");
      }
      text.append("expected ").append(problem.expected());
      origin(problem.path()).ifPresent(o -> text.append(" (set in ").append(o).append(')'));
    }
    return text.toString();
  }

  /** The property that set document path {@code path}, or the one it would be set by. */
  String property(String path) {
    if (path.isEmpty()) {
      return PREFIX;
    }
    String at = path;
    String rest = "";
    while (!at.isEmpty()) {
      String property = propertyByPath.get(at);
      if (property != null) {
        return property + rest;
      }
      int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
      rest = kebab(at.substring(Math.max(cut, 0))) + rest;
      at = cut < 0 ? "" : at.substring(0, cut);
    }
    return PREFIX + "." + kebab(path);
  }

  private Optional<String> origin(String path) {
    for (String at = path; !at.isEmpty(); ) {
      String origin = originByPath.get(at);
      if (origin != null) {
        return origin.isEmpty() ? Optional.empty() : Optional.of(origin);
      }
      int cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
      at = cut < 0 ? "" : at.substring(0, cut);
    }
    return Optional.empty();
  }

  /** A list comes whole from the first (highest) source that sets any element of it. */
  private static boolean ownedByAnotherSource(
      ConfigurationPropertyName name, int source, Map<String, Integer> owners) {
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      if (name.isNumericIndex(i)) {
        Integer owner = owners.putIfAbsent(prefix.toString(), source);
        if (owner != null && owner != source) {
          return true;
        }
      }
      prefix.append('.').append(name.getElement(i, ConfigurationPropertyName.Form.UNIFORM));
    }
    return false;
  }

  /** The property's name as written: {@code meshwork.services.mathoid.load-balancer.policy}. */
  private static String written(ConfigurationPropertyName name) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < name.getNumberOfElements(); i++) {
      String element = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
      if (name.isNumericIndex(i) || element.indexOf('.') >= 0) {
        text.append('[').append(element).append(']');
      } else {
        text.append(text.length() == 0 ? "" : ".").append(element);
      }
    }
    return text.toString();
  }

  private static String kebab(String documentPath) {
    StringBuilder text = new StringBuilder();
    for (char c : documentPath.toCharArray()) {
      if (Character.isUpperCase(c)) {
        text.append('-').append(Character.toLowerCase(c));
      } else {
        text.append(c);
      }
    }
    return text.toString();
  }

  /** One property's value. */
  private record Leaf(Object value, String property, String origin) {}

  /** The properties under one name, by their next element. */
  private static final class Branch {
    final String property;
    final Map<String, Object> children = new LinkedHashMap<>();
    final TreeMap<Integer, Object> indexed = new TreeMap<>();

    Branch(String property) {
      this.property = property;
    }

    void put(ConfigurationPropertyName name, int at, Leaf leaf) {
      String element = name.getElement(at, ConfigurationPropertyName.Form.ORIGINAL);
      @SuppressWarnings("unchecked")
      Map<Object, Object> into =
          name.isNumericIndex(at)
              ? (Map<Object, Object>) (Map<?, ?>) indexed
              : (Map<Object, Object>) (Map<?, ?>) children;
      Object key = name.isNumericIndex(at) ? (Object) Integer.valueOf(element) : element;
      if (at == name.getNumberOfElements() - 1) {
        into.putIfAbsent(key, leaf);
        return;
      }
      if (into.computeIfAbsent(key, k -> new Branch(prefix(name, at))) instanceof Branch branch) {
        branch.put(name, at + 1, leaf);
      }
    }

    private static String prefix(ConfigurationPropertyName name, int at) {
      return written(name.chop(at + 1));
    }
  }

  /** Turns the branches into the document, following the schema for names and scalar types. */
  private record Converter(Map<String, String> properties, Map<String, String> origins) {

    void fill(ObjectNode target, Branch branch, JsonNode schema, String path) {
      SchemaGuide guide = SchemaGuide.get();
      for (Map.Entry<String, Object> entry : branch.children.entrySet()) {
        SchemaGuide.Child child = guide.child(schema, entry.getKey());
        if (target.has(child.name())) {
          continue; // the same setting under two spellings: the first (highest) source wins
        }
        String at = path.isEmpty() ? child.name() : path + "." + child.name();
        target.set(child.name(), convert(entry.getValue(), child.schema(), at));
      }
    }

    JsonNode convert(Object node, JsonNode schema, String path) {
      if (node instanceof Leaf leaf) {
        properties.put(path, leaf.property());
        origins.put(path, leaf.origin());
        return scalar(leaf.value(), schema);
      }
      Branch branch = (Branch) node;
      properties.put(path, branch.property);
      if (!branch.indexed.isEmpty() && branch.children.isEmpty()) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        JsonNode items = SchemaGuide.get().items(schema);
        for (Object item : branch.indexed.values()) {
          array.add(convert(item, items, path + "[" + array.size() + "]"));
        }
        return array;
      }
      ObjectNode object = JsonNodeFactory.instance.objectNode();
      for (Map.Entry<Integer, Object> entry : branch.indexed.entrySet()) {
        // An index where the document wants names: passed on for mesh-config to refuse.
        object.set(String.valueOf(entry.getKey()), convert(entry.getValue(), schema, path));
      }
      fill(object, branch, schema, path);
      return object;
    }

    private static JsonNode scalar(Object value, JsonNode schema) {
      JsonNodeFactory nodes = JsonNodeFactory.instance;
      String text = String.valueOf(value).trim();
      Optional<String> type = SchemaGuide.get().scalarType(schema);
      try {
        if (type.isPresent()) {
          switch (type.get()) {
            case "integer":
              return nodes.numberNode(Long.parseLong(text));
            case "number":
              return nodes.numberNode(new BigDecimal(text));
            default:
              String lower = text.toLowerCase(Locale.ROOT);
              if (lower.equals("true") || lower.equals("false")) {
                return nodes.booleanNode(lower.equals("true"));
              }
          }
        }
      } catch (NumberFormatException e) {
        // Not a number: passed on as text, which mesh-config refuses naming what it expected.
      }
      return nodes.textNode(String.valueOf(value));
    }
  }
}

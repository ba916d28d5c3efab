package dev.meshwork.config.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads one document (YAML or JSON) into a tree, remembering where each value was written, within
 * limits that hostile input cannot pass: the size (checked before parsing), the nesting depth, the
 * nodes YAML aliases may copy (an alias bomb), duplicate keys, and one document per file.
 */
public final class DocumentReader {
  /** The largest document read, in characters (or bytes for a file): 16 MiB. */
  public static final int MAX_SIZE = 16 * 1024 * 1024;

  /** The deepest nesting of objects and arrays. */
  public static final int MAX_DEPTH = 40;

  /** How many nodes YAML aliases may copy in one document, all aliases together. */
  public static final int MAX_ALIAS_NODES = 10_000;

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(constraints())
          .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();
  private static final YAMLFactory YAML = yamlFactory();

  private final String source;

  /** Where each node was written, in the tree's pre-order (see {@link ReadLocations}). */
  private final ReadLocations.Recorder recorder;

  /** The path of the node being read, a key or an index per level, for problems. */
  private final Object[] path = new Object[MAX_DEPTH + 2];

  private int pathLength;
  private final Map<String, JsonNode> anchors = new HashMap<>();
  private int aliasBudget = MAX_ALIAS_NODES;
  private boolean yaml;

  private DocumentReader(String source) {
    this.source = source;
    this.recorder = new ReadLocations.Recorder(source);
  }

  /** A document read: its tree and where each of its values was written. */
  public record Read(String source, ObjectNode root, Map<String, Location> locations) {}

  /**
   * Reads {@code text}, named {@code source} in problems; JSON when the name ends in {@code .json}
   * or the text starts with <code>{</code>, YAML otherwise.
   *
   * @throws Issue.Refused naming where the text is wrong
   */
  public static Read read(String text, String source) {
    Problems problems = new Problems(source, Map.of());
    if (text.length() > MAX_SIZE) {
      problems.add(
          "",
          text.length() + " characters",
          "a document of at most " + MAX_SIZE + " characters (16 MiB); split it into files");
      problems.throwIfAny();
    }
    return new DocumentReader(source).parse(text, isJson(text, source));
  }

  /**
   * Reads every document of {@code text}, as {@code kubectl} manifests are written (YAML documents
   * separated by {@code ---}); each keeps its own locations, with lines counted in the whole text.
   * Empty documents are skipped. The limits of {@link #read} hold for each document.
   *
   * @throws Issue.Refused naming where the text is wrong
   */
  public static java.util.List<Read> readAll(String text, String source) {
    if (text.length() > MAX_SIZE) {
      read(text, source);
    }
    boolean json = isJson(text, source);
    java.util.List<Read> documents = new java.util.ArrayList<>();
    try (JsonParser parser = json ? JSON.createParser(text) : YAML.createParser(text)) {
      while (true) {
        DocumentReader reader = new DocumentReader(source);
        reader.yaml = !json;
        Read document = reader.next(parser);
        if (document == null) {
          return documents;
        }
        if (!document.root().isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      Problems problems = new Problems(source, Map.of());
      problems.add("", "", "a readable document (" + e.getMessage() + ")");
      problems.throwIfAny();
      throw new AssertionError("unreachable");
    }
  }

  /** The parser's next document; null at the end, an empty object for an empty document. */
  private Read next(JsonParser parser) throws IOException {
    try {
      JsonToken first = parser.nextToken();
      if (first == null) {
        return null;
      }
      if (first == JsonToken.VALUE_NULL) {
        return new Read(source, JsonNodeFactory.instance.objectNode(), Map.of());
      }
      if (first != JsonToken.START_OBJECT) {
        throw refusal(
            parser.currentTokenLocation(), parser.getText(), "a mapping of fields at the top");
      }
      ObjectNode root = (ObjectNode) value(parser, location(parser.currentTokenLocation()), 0);
      return new Read(source, root, recorder.locations(root));
    } catch (JsonProcessingException e) {
      pathLength = 0;
      throw refusal(e.getLocation(), "", describe(e));
    }
  }

  /** Whether {@code text} is read as JSON. */
  static boolean isJson(String text, String source) {
    if (source.toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
      return true;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!Character.isWhitespace(c) && c != '\uFEFF') {
        return c == '{';
      }
    }
    return false;
  }

  private Read parse(String text, boolean json) {
    this.yaml = !json;
    try (JsonParser parser = json ? JSON.createParser(text) : YAML.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        Problems problems = new Problems(source, Map.of());
        problems.add("", "an empty document", "a mesh document: apiVersion, kind, mesh, services");
        problems.throwIfAny();
      }
      if (first != JsonToken.START_OBJECT) {
        JsonLocation at = parser.currentTokenLocation();
        throw refusal(at, parser.getText(), "a mesh document, a mapping of fields at the top");
      }
      ObjectNode root = (ObjectNode) value(parser, location(parser.currentTokenLocation()), 0);
      if (parser.nextToken() != null) {
        throw refusal(
            parser.currentTokenLocation(),
            "a second document",
            "one document per file (use several files for a base and its overrides)");
      }
      return new Read(source, root, recorder.locations(root));
    } catch (JsonProcessingException e) {
      pathLength = 0;
      throw refusal(e.getLocation(), "", describe(e));
    } catch (IOException e) {
      Problems problems = new Problems(source, recorder.rootOnly());
      problems.add("", "", "a readable document (" + e.getMessage() + ")");
      problems.throwIfAny();
      throw new AssertionError("unreachable");
    }
  }

  /**
   * Reads the value at the parser's current token; {@code at} is where it counts as written: its
   * key's place for a field, its own for an item or the root.
   */
  private JsonNode value(JsonParser parser, Location at, int depth) throws IOException {
    JsonToken token = parser.currentToken();
    recorder.add(at);
    if (yaml && ((YAMLParser) parser).isCurrentAlias()) {
      return alias(parser);
    }
    String anchor = yaml ? ((YAMLParser) parser).getCurrentAnchor() : null;
    JsonNode node;
    switch (token) {
      case START_OBJECT -> {
        depth(parser, depth);
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          path[pathLength++] = key;
          if (object.has(key)) {
            throw refusal(
                parser.currentTokenLocation(), key, "each key once in a mapping (duplicate key)");
          }
          // A field is found where its key is written.
          Location keyAt = location(parser.currentTokenLocation());
          parser.nextToken();
          object.set(key, value(parser, keyAt, depth + 1));
          pathLength--;
        }
        node = object;
      }
      case START_ARRAY -> {
        depth(parser, depth);
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          path[pathLength++] = array.size();
          array.add(value(parser, location(parser.currentTokenLocation()), depth + 1));
          pathLength--;
        }
        node = array;
      }
      case VALUE_STRING -> node = JsonNodeFactory.instance.textNode(parser.getText());
      case VALUE_NUMBER_INT ->
          node =
              switch (parser.getNumberType()) {
                case INT -> JsonNodeFactory.instance.numberNode(parser.getIntValue());
                case LONG -> JsonNodeFactory.instance.numberNode(parser.getLongValue());
                default -> JsonNodeFactory.instance.numberNode(parser.getBigIntegerValue());
              };
      case VALUE_NUMBER_FLOAT ->
          node = JsonNodeFactory.instance.numberNode(parser.getDoubleValue());
      case VALUE_TRUE -> node = JsonNodeFactory.instance.booleanNode(true);
      case VALUE_FALSE -> node = JsonNodeFactory.instance.booleanNode(false);
      case VALUE_NULL -> node = JsonNodeFactory.instance.nullNode();
      default ->
          throw refusal(
              parser.currentTokenLocation(), parser.getText(), "a value (found " + token + ")");
    }
    if (anchor != null) {
      anchors.put(anchor, node);
    }
    return node;
  }

  /** Copies the node an alias names, within the document's alias budget. */
  private JsonNode alias(JsonParser parser) throws IOException {
    String name = parser.getText();
    JsonNode target = anchors.get(name);
    if (target == null) {
      throw refusal(
          parser.currentTokenLocation(),
          "*" + name,
          "an alias of an anchor (&" + name + ") defined before it");
    }
    int copied = count(target);
    aliasBudget -= copied;
    if (aliasBudget < 0) {
      throw refusal(
          parser.currentTokenLocation(),
          "*" + name,
          "aliases that copy at most "
              + MAX_ALIAS_NODES
              + " values in all (this document's aliases copy more: an alias bomb?)");
    }
    // The values an alias copied were written where the alias is.
    Location at = location(parser.currentTokenLocation());
    for (int i = 1; i < copied; i++) {
      recorder.add(at);
    }
    return target.deepCopy();
  }

  private static int count(JsonNode node) {
    int total = 1;
    for (JsonNode child : node) {
      total += count(child);
    }
    return total;
  }

  private void depth(JsonParser parser, int depth) {
    if (depth >= MAX_DEPTH) {
      throw refusal(
          parser.currentTokenLocation(),
          "nesting deeper than " + MAX_DEPTH,
          "a document nested at most " + MAX_DEPTH + " levels deep");
    }
  }

  /** The refusal of the value at the path being read, placed at {@code at}. */
  private RuntimeException refusal(JsonLocation at, String value, String expected) {
    String here = "";
    for (int i = 0; i < pathLength; i++) {
      here =
          path[i] instanceof Integer index
              ? DocPath.index(here, index)
              : DocPath.child(here, (String) path[i]);
    }
    Problems problems = new Problems(source, Map.of(here, location(at)));
    problems.add(here, value, expected);
    try {
      problems.throwIfAny();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("unreachable");
  }

  private Location location(JsonLocation at) {
    return at == null
        ? new Location(source, 0, 0)
        : new Location(source, Math.max(0, at.getLineNr()), Math.max(0, at.getColumnNr()));
  }

  private static String describe(JsonProcessingException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    int cut = message.indexOf('\n');
    message = (cut < 0 ? message : message.substring(0, cut)).strip();
    if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
      return "a document nested at most "
          + MAX_DEPTH
          + " levels deep and within its size ("
          + message
          + ")";
    }
    if (message.startsWith("Duplicate field")) {
      return "each key once in a mapping (" + message + ")";
    }
    return "well-formed YAML or JSON (" + message + ")";
  }

  private static StreamReadConstraints constraints() {
    return StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH)
        .maxDocumentLength(MAX_SIZE)
        .maxStringLength(MAX_SIZE)
        .build();
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(100);
    options.setNestingDepthLimit(MAX_DEPTH);
    options.setCodePointLimit(MAX_SIZE);
    options.setAllowRecursiveKeys(false);
    return YAMLFactory.builder()
        .loaderOptions(options)
        .streamReadConstraints(constraints())
        .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
  }
}

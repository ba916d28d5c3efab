package dev.meshwork.xds;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.xds.XdsBootstrap.Credentials;
import dev.meshwork.xds.XdsBootstrap.FileWatcher;
import dev.meshwork.xds.XdsBootstrap.Locality;
import dev.meshwork.xds.XdsBootstrap.Node;
import dev.meshwork.xds.XdsBootstrap.Server;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads gRPC's xDS bootstrap JSON. Every error names the field path and the value; what is read but
 * not honoured is collected for {@link XdsBootstrap#unsupported()}.
 */
final class BootstrapParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(\\.\\d{1,9})?s");

  private final String origin;
  private final List<String> unsupported = new ArrayList<>();

  private BootstrapParser(String origin) {
    this.origin = origin;
  }

  /**
   * Parses {@code json}; {@code origin} (a file name or the variable it came from) prefixes every
   * error.
   */
  static XdsBootstrap parse(String json, String origin) {
    return new BootstrapParser(origin).read(json);
  }

  private XdsBootstrap read(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new MeshConfigException(
          field(""),
          e.getOriginalMessage(),
          "JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    }
    if (root == null || !root.isObject()) {
      throw new MeshConfigException(field(""), shorten(root), "a JSON object");
    }
    List<Server> servers = new ArrayList<>();
    Node node = Node.of("");
    Map<String, FileWatcher> providers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : root.properties()) {
      String name = entry.getKey();
      JsonNode value = entry.getValue();
      switch (name) {
        case "xds_servers" -> servers = servers(value);
        case "node" -> node = node(value);
        case "certificate_providers" -> providers = providers(value);
        case "server_listener_resource_name_template" ->
            report(name, value, "xDS-configured servers are not supported; Meshwork is a client");
        case "client_default_listener_resource_name_template", "authorities" ->
            report(name, value, "xDS federation (xdstp:// names) is not supported");
        default -> report(name, value, "not a bootstrap field Meshwork knows");
      }
    }
    if (!root.has("xds_servers")) {
      throw new MeshConfigException(field("xds_servers"), "missing", "at least one server");
    }
    return new XdsBootstrap(servers, node, providers, unsupported);
  }

  private List<Server> servers(JsonNode value) {
    String path = "xds_servers";
    if (!value.isArray() || value.isEmpty()) {
      throw new MeshConfigException(field(path), shorten(value), "a non-empty array of servers");
    }
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode server = object(value.get(i), at);
      String uri = text(server, at, "server_uri", true);
      Credentials credentials = credentials(server.get("channel_creds"), at + ".channel_creds");
      Set<String> features = new LinkedHashSet<>();
      JsonNode list = server.get("server_features");
      if (list != null && !list.isNull()) {
        if (!list.isArray()) {
          throw new MeshConfigException(
              field(at + ".server_features"), shorten(list), "an array of strings");
        }
        for (int f = 0; f < list.size(); f++) {
          if (!list.get(f).isTextual()) {
            throw new MeshConfigException(
                field(at + ".server_features[" + f + "]"), shorten(list.get(f)), "a string");
          }
          features.add(list.get(f).asText());
        }
      }
      for (Iterator<String> names = server.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of("server_uri", "channel_creds", "server_features").contains(name)) {
          report(at + "." + name, server.get(name), "not a server field Meshwork knows");
        }
      }
      if (i > 0) {
        report(
            at + ".server_uri",
            server.get("server_uri"),
            "only the first server is used (no fallback to later servers)");
      }
      servers.add(new Server(uri, credentials, features));
    }
    return servers;
  }

  private Credentials credentials(JsonNode value, String path) {
    if (value == null || !value.isArray() || value.isEmpty()) {
      throw new MeshConfigException(
          field(path), shorten(value), "a non-empty array such as [{\"type\": \"insecure\"}]");
    }
    List<String> types = new ArrayList<>();
    for (int i = 0; i < value.size(); i++) {
      String at = path + "[" + i + "]";
      JsonNode creds = object(value.get(i), at);
      String type = text(creds, at, "type", true);
      types.add(type);
      JsonNode config = creds.get("config");
      if ("insecure".equals(type)) {
        return Credentials.insecure();
      }
      if ("tls".equals(type)) {
        return tls(config, at + ".config");
      }
      report(at + ".type", creds.get("type"), "channel credentials Meshwork does not support");
    }
    throw new MeshConfigException(
        field(path),
        types,
        "at least one channel credential type Meshwork supports: insecure or tls");
  }

  private Credentials tls(JsonNode config, String path) {
    if (config == null || config.isNull()) {
      return Credentials.tls();
    }
    JsonNode object = object(config, path);
    Optional<Path> ca = optionalPath(object, path, "ca_certificate_file");
    Optional<Path> cert = optionalPath(object, path, "certificate_file");
    Optional<Path> key = optionalPath(object, path, "private_key_file");
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if ("refresh_interval".equals(name)) {
        report(path + "." + name, object.get(name), "the channel's files are read once, at start");
      } else if (!Set.of("ca_certificate_file", "certificate_file", "private_key_file")
          .contains(name)) {
        report(path + "." + name, object.get(name), "not a tls credentials field Meshwork knows");
      }
    }
    try {
      return new Credentials("tls", ca, cert, key);
    } catch (MeshConfigException e) {
      throw new MeshConfigException(field(path), e.value(), e);
    }
  }

  private Node node(JsonNode value) {
    String path = "node";
    if (value.isNull()) {
      return Node.of("");
    }
    JsonNode node = object(value, path);
    String id = text(node, path, "id", false);
    String cluster = text(node, path, "cluster", false);
    Map<String, Object> metadata = Map.of();
    JsonNode meta = node.get("metadata");
    if (meta != null && !meta.isNull()) {
      object(meta, path + ".metadata");
      @SuppressWarnings("unchecked")
      Map<String, Object> converted = JSON.convertValue(meta, LinkedHashMap.class);
      metadata = converted;
    }
    Locality locality = Locality.NONE;
    JsonNode where = node.get("locality");
    if (where != null && !where.isNull()) {
      String at = path + ".locality";
      JsonNode object = object(where, at);
      locality =
          new Locality(
              text(object, at, "region", false),
              text(object, at, "zone", false),
              text(object, at, "sub_zone", false));
      for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of("region", "zone", "sub_zone").contains(name)) {
          report(at + "." + name, object.get(name), "not a locality field");
        }
      }
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("id", "cluster", "metadata", "locality").contains(name)) {
        report(path + "." + name, node.get(name), "not a node field Meshwork sends");
      }
    }
    return new Node(id, cluster, metadata, locality);
  }

  private Map<String, FileWatcher> providers(JsonNode value) {
    String path = "certificate_providers";
    JsonNode object = object(value, path);
    Map<String, FileWatcher> providers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      String at = path + "." + entry.getKey();
      JsonNode provider = object(entry.getValue(), at);
      String plugin = text(provider, at, "plugin_name", true);
      if (!"file_watcher".equals(plugin)) {
        report(at + ".plugin_name", provider.get("plugin_name"), "only file_watcher is supported");
        continue;
      }
      String configPath = at + ".config";
      JsonNode config = object(provider.get("config"), configPath);
      Duration refresh = FileWatcher.DEFAULT_REFRESH;
      JsonNode interval = config.get("refresh_interval");
      if (interval != null && !interval.isNull()) {
        refresh = duration(interval, configPath + ".refresh_interval");
      }
      for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!Set.of(
                "certificate_file", "private_key_file", "ca_certificate_file", "refresh_interval")
            .contains(name)) {
          report(configPath + "." + name, config.get(name), "not a file_watcher field");
        }
      }
      providers.put(
          entry.getKey(),
          new FileWatcher(
              Path.of(text(config, configPath, "certificate_file", true)),
              Path.of(text(config, configPath, "private_key_file", true)),
              Path.of(text(config, configPath, "ca_certificate_file", true)),
              refresh));
    }
    return providers;
  }

  private Duration duration(JsonNode value, String path) {
    Matcher matcher = value.isTextual() ? DURATION.matcher(value.asText()) : null;
    if (matcher == null || !matcher.matches()) {
      throw new MeshConfigException(
          field(path), shorten(value), "a protobuf JSON duration such as \"600s\" or \"1.5s\"");
    }
    Duration duration =
        Duration.ofSeconds(Long.parseLong(matcher.group(1)))
            .plusNanos(
                matcher.group(2) == null
                    ? 0
                    : new BigDecimal("0" + matcher.group(2)).movePointRight(9).longValueExact());
    if (duration.isZero()) {
      throw new MeshConfigException(field(path), value.asText(), "a positive duration");
    }
    return duration;
  }

  private JsonNode object(JsonNode value, String path) {
    if (value == null || !value.isObject()) {
      throw new MeshConfigException(field(path), shorten(value), "a JSON object");
    }
    return value;
  }

  private String text(JsonNode object, String path, String name, boolean required) {
    JsonNode value = object.get(name);
    if (value == null || value.isNull()) {
      if (required) {
        throw new MeshConfigException(field(path + "." + name), "missing", "a string");
      }
      return "";
    }
    if (!value.isTextual() || (required && value.asText().isBlank())) {
      throw new MeshConfigException(field(path + "." + name), shorten(value), "a non-blank string");
    }
    return value.asText();
  }

  private Optional<Path> optionalPath(JsonNode object, String path, String name) {
    String text = text(object, path, name, false);
    return text.isEmpty() ? Optional.empty() : Optional.of(Path.of(text));
  }

  private void report(String path, JsonNode value, String why) {
    if (value != null && !value.isNull()) {
      unsupported.add(path + " = " + shorten(value) + ": " + why);
    }
  }

  private String field(String path) {
    return "xds bootstrap (" + origin + ")" + (path.isEmpty() ? "" : " " + path);
  }

  private static String shorten(JsonNode value) {
    if (value == null) {
      return "missing";
    }
    String text = value.isTextual() ? value.asText() : value.toString();
    return text.length() > 120 ? text.substring(0, 117) + "..." : text;
  }
}

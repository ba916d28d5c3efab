package dev.meshwork.discovery.internal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.exception.MeshConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an endpoints file: {@code services} maps each service name to a list of endpoints, each
 * either {@code address: host:port} or {@code host} and {@code port}, with optional {@code weight},
 * {@code zone} and {@code labels}. Errors name the file, the line and the entry.
 */
public final class EndpointFile {
  private static final ObjectMapper JSON = configure(new ObjectMapper());
  private static final ObjectMapper YAML = configure(new YAMLMapper());

  private EndpointFile() {}

  private static ObjectMapper configure(ObjectMapper mapper) {
    return mapper
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  }

  /** The file's top level. */
  static final class Document {
    final Map<String, List<Entry>> services;

    @JsonCreator
    Document(@JsonProperty(value = "services", required = true) Map<String, List<Entry>> services) {
      if (services == null) {
        throw new MeshConfigException(
            "services", null, "a map from service name to a list of endpoints");
      }
      this.services = services;
    }
  }

  /** One endpoint as written. */
  static final class RawEntry {
    @JsonProperty("address")
    String address;

    @JsonProperty("host")
    String host;

    @JsonProperty("port")
    Integer port;

    @JsonProperty("weight")
    Integer weight;

    @JsonProperty("zone")
    String zone;

    @JsonProperty("labels")
    Map<String, String> labels;
  }

  /**
   * One validated endpoint. Read by hand so that a bad value is reported at the line where its
   * entry starts, not where Jackson happened to be when the entry ended.
   */
  @JsonDeserialize(using = EntryDeserializer.class)
  static final class Entry {
    final Endpoint endpoint;

    Entry(Endpoint endpoint) {
      this.endpoint = endpoint;
    }
  }

  static final class EntryDeserializer extends StdDeserializer<Entry> {
    private static final long serialVersionUID = 1L;

    EntryDeserializer() {
      super(Entry.class);
    }

    @Override
    public Entry deserialize(JsonParser parser, DeserializationContext context) throws IOException {
      JsonLocation start = parser.currentTokenLocation();
      RawEntry raw = context.readValue(parser, RawEntry.class);
      try {
        return new Entry(
            toEndpoint(raw.address, raw.host, raw.port, raw.weight, raw.zone, raw.labels));
      } catch (MeshConfigException e) {
        throw new JsonMappingException(parser, e.getMessage(), start);
      }
    }

    private static Endpoint toEndpoint(
        String address,
        String host,
        Integer port,
        Integer weight,
        String zone,
        Map<String, String> labels) {
      Endpoint base;
      if (address != null) {
        if (host != null || port != null) {
          throw new MeshConfigException(
              "endpoint", address, "either 'address' or 'host' and 'port', not both");
        }
        base = Endpoint.parse(address);
        if (!base.equals(Endpoint.of(base.host(), base.port()))) {
          throw new MeshConfigException(
              "endpoint address",
              address,
              "'host:port' alone; weight, zone and labels go in their own fields");
        }
      } else if (host == null || port == null) {
        throw new MeshConfigException(
            "endpoint",
            host == null ? "no host" : "no port",
            "'address: host:port', or both 'host' and 'port'");
      } else {
        base = Endpoint.of(host, port);
      }
      return new Endpoint(
          base.host(),
          base.port(),
          weight == null ? 1 : weight,
          zone,
          labels == null ? Map.of() : labels);
    }
  }

  /**
   * Parses {@code content}, read from {@code path}, as YAML when {@code yaml} is true and as JSON
   * otherwise.
   *
   * @return the endpoints of every service in the file, in file order
   * @throws IOException naming the path, the line and what is wrong
   */
  public static Map<String, List<Endpoint>> parse(Path path, byte[] content, boolean yaml)
      throws IOException {
    Document document;
    try {
      document = (yaml ? YAML : JSON).readValue(content, Document.class);
    } catch (JsonProcessingException e) {
      throw new IOException(path + describe(e), e);
    } catch (IOException e) {
      // Jackson's own decoders (of a file whose first bytes look like UTF-32, say) throw a bare
      // IOException, such as CharConversionException, that names no file.
      throw new IOException(path + ": " + e.getMessage(), e);
    }
    if (document == null) {
      throw new IOException(path + ": the file is empty; expected a 'services' map");
    }
    Map<String, List<Endpoint>> result = new LinkedHashMap<>();
    for (Map.Entry<String, List<Entry>> service : document.services.entrySet()) {
      List<Entry> entries = service.getValue() == null ? List.of() : service.getValue();
      List<Endpoint> endpoints = new ArrayList<>(entries.size());
      for (int i = 0; i < entries.size(); i++) {
        if (entries.get(i) == null) {
          throw new IOException(
              path
                  + " at services."
                  + service.getKey()
                  + "["
                  + i
                  + "]: empty entry; expected an endpoint");
        }
        endpoints.add(entries.get(i).endpoint);
      }
      result.put(service.getKey(), List.copyOf(endpoints));
    }
    return result;
  }

  private static String describe(JsonProcessingException e) {
    StringBuilder text = new StringBuilder();
    JsonLocation location = e.getLocation();
    if (location != null && location.getLineNr() > 0) {
      text.append(" line ")
          .append(location.getLineNr())
          .append(", column ")
          .append(location.getColumnNr());
    }
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      text.append(" at ").append(path(mapping.getPath()));
    }
    Throwable cause = e.getCause();
    String reason =
        cause instanceof MeshConfigException config ? config.getMessage() : e.getOriginalMessage();
    return text.append(": ").append(reason).toString();
  }

  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder text = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getIndex() >= 0) {
        text.append('[').append(reference.getIndex()).append(']');
      } else if (reference.getFieldName() != null) {
        text.append(text.length() == 0 ? "" : ".").append(reference.getFieldName());
      }
    }
    return text.toString();
  }
}

package dev.meshwork.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource.EndpointSnapshot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the endpoints file, YAML and JSON: any content is either read, and then the endpoints it
 * lists render back to a file that reads the same, or refused with an {@link IOException} whose
 * message starts with the file's path, which the file watch reports while keeping the last good
 * endpoints. Any other exception would end the watch's polling. Seeds: {@code
 * src/test/resources/dev/meshwork/discovery/internal/EndpointFileFuzzTestInputs}.
 */
class EndpointFileFuzzTest {
  private static final Path YAML_FILE = Path.of("/etc/meshwork/endpoints.yaml");
  private static final Path JSON_FILE = Path.of("/etc/meshwork/endpoints.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new YAMLMapper();

  @FuzzTest
  void yaml(byte[] content) throws IOException {
    check(YAML_FILE, content, true);
  }

  @FuzzTest
  void json(byte[] content) throws IOException {
    check(JSON_FILE, content, false);
  }

  private static void check(Path path, byte[] content, boolean yaml) throws IOException {
    Map<String, List<Endpoint>> services;
    try {
      services = EndpointFile.parse(path, content, yaml);
    } catch (IOException e) {
      assertTrue(
          e.getMessage() != null && e.getMessage().startsWith(path.toString()),
          "the refusal names the file: " + e.getMessage());
      return;
    }
    byte[] rendered = (yaml ? YAML : JSON).writeValueAsBytes(render(services));
    assertEquals(
        services,
        EndpointFile.parse(path, rendered, yaml),
        "round trip through " + render(services));
    for (Map.Entry<String, List<Endpoint>> service : services.entrySet()) {
      try {
        // What the file watch publishes for a service it follows.
        EndpointSnapshot.of(ServiceName.of("mathoid"), service.getValue());
      } catch (MeshConfigException e) {
        assertTrue(e.getMessage().contains("each address to appear once"), e.getMessage());
      }
    }
  }

  /** The document the endpoints file format describes, with every field written out. */
  private static ObjectNode render(Map<String, List<Endpoint>> services) {
    ObjectNode document = JSON.createObjectNode();
    ObjectNode byName = document.putObject("services");
    services.forEach(
        (name, endpoints) -> {
          ArrayNode list = byName.putArray(name);
          for (Endpoint endpoint : endpoints) {
            ObjectNode entry =
                list.addObject()
                    .put("host", endpoint.host())
                    .put("port", endpoint.port())
                    .put("weight", endpoint.weight());
            if (!endpoint.zone().isEmpty()) {
              entry.put("zone", endpoint.zone());
            }
            ObjectNode labels = entry.putObject("labels");
            endpoint.labels().forEach(labels::put);
          }
        });
    return document;
  }
}

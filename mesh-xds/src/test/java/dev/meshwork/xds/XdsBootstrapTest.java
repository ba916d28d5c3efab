package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.xds.XdsBootstrap.Credentials;
import dev.meshwork.xds.XdsBootstrap.FileWatcher;
import dev.meshwork.xds.XdsBootstrap.Locality;
import dev.meshwork.xds.XdsBootstrap.Node;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XdsBootstrapTest {

  static String istioBootstrap() throws IOException {
    try (InputStream in =
        XdsBootstrapTest.class.getResourceAsStream("/istio-grpc-bootstrap.json")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void readsTheBootstrapIstioWritesForProxylessGrpc() throws IOException {
    XdsBootstrap bootstrap = XdsBootstrap.parse(istioBootstrap());

    assertEquals("unix:///etc/istio/proxy/XDS", bootstrap.server().uri());
    assertEquals(Credentials.insecure(), bootstrap.server().credentials());
    assertEquals(Set.of("xds_v3"), bootstrap.server().features());
    Node node = bootstrap.node();
    assertEquals(
        "sidecar~10.244.0.36~restbase-v1-6c8d5b7f9-x2x4q.default~default.svc.cluster.local",
        node.id());
    assertEquals("default", node.metadata().get("NAMESPACE"));
    assertEquals(15090, node.metadata().get("ENVOY_PROMETHEUS_PORT"));
    assertEquals(Map.of("app", "restbase", "version", "v1"), node.metadata().get("LABELS"));
    assertEquals(List.of("istiod.istio-system.svc"), node.metadata().get("PILOT_SAN"));
    assertEquals(new Locality("us-east1", "us-east1-b", ""), node.locality());
    assertEquals(
        new FileWatcher(
            Path.of("/var/lib/istio/data/cert-chain.pem"),
            Path.of("/var/lib/istio/data/key.pem"),
            Path.of("/var/lib/istio/data/root-cert.pem"),
            Duration.ofMinutes(15)),
        bootstrap.certificateProviders().get("default"));
    // The server-side template is read and reported, not dropped; Istio's null field is nothing.
    assertEquals(
        List.of(
            "server_listener_resource_name_template = xds.istio.io/grpc/lds/inbound/%s:"
                + " xDS-configured servers are not supported; Meshwork is a client"),
        bootstrap.unsupported());
  }

  @Test
  void theFileInTheEnvironmentWinsOverTheInlineConfig(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bootstrap.json");
    Files.writeString(file, istioBootstrap());
    String inline =
        "{\"xds_servers\":[{\"server_uri\":\"localhost:15010\",\"channel_creds\":[{\"type\":\"insecure\"}]}]}";

    XdsBootstrap fromFile =
        XdsBootstrap.fromEnvironment(
            Map.of(XdsBootstrap.FILE_ENV, file.toString(), XdsBootstrap.CONFIG_ENV, inline)::get);
    XdsBootstrap fromConfig =
        XdsBootstrap.fromEnvironment(Map.of(XdsBootstrap.CONFIG_ENV, inline)::get);

    assertEquals("unix:///etc/istio/proxy/XDS", fromFile.server().uri());
    assertEquals("localhost:15010", fromConfig.server().uri());
    MeshConfigException none =
        assertThrows(
            MeshConfigException.class,
            () -> XdsBootstrap.fromEnvironment(Map.<String, String>of()::get));
    assertTrue(none.getMessage().contains("GRPC_XDS_BOOTSTRAP"), none.getMessage());
  }

  @Test
  void takesTheFirstSupportedChannelCredentialsAndReportsTheOnesBefore() {
    XdsBootstrap bootstrap =
        XdsBootstrap.parse(
            """
            {"xds_servers": [{"server_uri": "trafficdirector.googleapis.com:443",
              "channel_creds": [{"type": "google_default"},
                                {"type": "tls", "config": {"ca_certificate_file": "/etc/roots.pem"}}]}]}
            """);

    assertEquals(
        new Credentials(
            "tls", Optional.of(Path.of("/etc/roots.pem")), Optional.empty(), Optional.empty()),
        bootstrap.server().credentials());
    assertEquals(
        List.of(
            "xds_servers[0].channel_creds[0].type = google_default:"
                + " channel credentials Meshwork does not support"),
        bootstrap.unsupported());
  }

  @Test
  void errorsNameTheFieldAndTheValue() {
    assertRefused("{\"xds_servers\": []}", "xds bootstrap (json) xds_servers: '[]' is invalid");
    assertRefused(
        "{\"xds_servers\": [{\"server_uri\": \"x:1\", \"channel_creds\": [{\"type\": \"google_default\"}]}]}",
        "xds_servers[0].channel_creds: '[google_default]' is invalid; expected at least one channel"
            + " credential type Meshwork supports");
    assertRefused(
        "{\"xds_servers\": [{\"channel_creds\": [{\"type\": \"insecure\"}]}]}",
        "xds_servers[0].server_uri: 'missing' is invalid");
    assertRefused(
        "{\"xds_servers\": [{\"server_uri\": 7, \"channel_creds\": [{\"type\": \"insecure\"}]}]}",
        "xds_servers[0].server_uri: '7' is invalid; expected a non-blank string");
    assertRefused(
        """
        {"xds_servers": [{"server_uri": "x:1", "channel_creds": [{"type": "insecure"}]}],
         "certificate_providers": {"default": {"plugin_name": "file_watcher", "config": {
           "certificate_file": "c", "private_key_file": "k", "ca_certificate_file": "r",
           "refresh_interval": "15m"}}}}
        """,
        "certificate_providers.default.config.refresh_interval: '15m' is invalid");
    assertRefused("{\"xds_servers\": [], \"xds_servers\": []}", "Duplicate field 'xds_servers'");
    assertRefused("[1]", "xds bootstrap (json): '[1]' is invalid; expected a JSON object");
  }

  @Test
  void theBuilderMakesTheSameBootstrap() {
    XdsBootstrap built =
        XdsBootstrap.builder()
            .server("localhost:15010")
            .node(new Node("node-1", "restbase", Map.of("NAMESPACE", "default"), Locality.NONE))
            .certificateProvider(
                "default",
                new FileWatcher(
                    Path.of("c"), Path.of("k"), Path.of("r"), FileWatcher.DEFAULT_REFRESH))
            .build();
    XdsBootstrap parsed =
        XdsBootstrap.parse(
            """
            {"xds_servers": [{"server_uri": "localhost:15010", "channel_creds": [{"type": "insecure"}],
                              "server_features": ["xds_v3"]}],
             "node": {"id": "node-1", "cluster": "restbase", "metadata": {"NAMESPACE": "default"}},
             "certificate_providers": {"default": {"plugin_name": "file_watcher", "config": {
               "certificate_file": "c", "private_key_file": "k", "ca_certificate_file": "r"}}}}
            """);

    assertEquals(parsed, built);
    assertThrows(MeshConfigException.class, () -> XdsBootstrap.builder().build());
  }

  private static void assertRefused(String json, String expected) {
    MeshConfigException e = assertThrows(MeshConfigException.class, () -> XdsBootstrap.parse(json));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

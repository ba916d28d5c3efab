package dev.meshwork.discovery.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.LiveConfig;
import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.Mesh;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A ConfigMap's changes reach a running mesh through {@link ConfigMapSource} and {@link
 * LiveConfig}. The fabric8 mock server ({@link ApiServer}) stands in for the Kubernetes API server,
 * which cannot run here; it serves the same list and watch calls.
 */
class ConfigMapSourceTest {
  private static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  @Test
  void configMapUpdatesApplyAndABadOneKeepsTheLastGood() {
    try (ApiServer api = new ApiServer();
        KubernetesClient client = api.client();
        Mesh mesh = Mesh.builder().service("mathoid", s -> s.endpoints("10.0.0.1:10044")).build()) {
      client
          .configMaps()
          .resource(configMap("v1", "citoid: {discovery: {static: [\"10.0.2.1:1970\"]}}"))
          .create();
      try (ConfigMapSource source =
              ConfigMapSource.watch(client, "default", "meshwork", Duration.ofSeconds(30));
          LiveConfig live = LiveConfig.watch(mesh, Duration.ofMillis(20), source)) {
        assertEquals("v1", mesh.configStatus().version(), "applied before watch returned");
        assertEquals("configmap default/meshwork", mesh.configStatus().source());
        assertEquals(1, mesh.services().size());

        client
            .configMaps()
            .resource(
                configMap(
                    "v2",
                    "citoid: {discovery: {static: [\"10.0.2.1:1970\"]}}\n"
                        + "  restbase: {discovery: {static: [\"10.0.3.1:7231\"]}}"))
            .update();
        Eventually.await(
            () -> mesh.configStatus().version().equals("v2"), () -> mesh.configStatus().toString());
        assertEquals(2, mesh.services().size());

        client
            .configMaps()
            .resource(configMap("v3", "citoid: {discovery: {static: [\"10.0.2.1:99999\"]}}"))
            .update();
        Eventually.await(
            () -> mesh.configStatus().lastError().isPresent(),
            () -> mesh.configStatus().toString());
        ConfigStatus status = mesh.configStatus();
        assertEquals("v2", status.version(), "the last good stays");
        String error = status.lastError().orElseThrow().message();
        assertTrue(error.contains("configmap default/meshwork/mesh.yaml:"), error);
        assertTrue(error.contains("services.citoid.discovery"), error);
      }
    }
  }

  private static ConfigMap configMap(String version, String services) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName("meshwork")
        .withNamespace("default")
        .endMetadata()
        .withData(
            Map.of(
                "mesh.yaml",
                HEAD + "metadata: {version: " + version + "}\nservices:\n  " + services + "\n",
                "README.txt",
                "not a document: skipped"))
        .build();
  }
}

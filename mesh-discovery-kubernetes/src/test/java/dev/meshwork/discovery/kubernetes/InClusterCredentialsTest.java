package dev.meshwork.discovery.kubernetes;

import static dev.meshwork.discovery.kubernetes.KubernetesDiscoveryTest.NS;
import static dev.meshwork.discovery.kubernetes.KubernetesDiscoveryTest.at;
import static dev.meshwork.discovery.kubernetes.KubernetesDiscoveryTest.awaitEndpoints;
import static dev.meshwork.discovery.kubernetes.KubernetesDiscoveryTest.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Credentials of a pod's service account, both through fabric8's auto-configuration (the default)
 * and through {@link KubernetesDiscovery.Builder#inCluster()}.
 *
 * <p>No pod and no real API server are available here. The test plays the pod through the settings
 * fabric8 reads in a cluster, given as system properties (fabric8 reads each one before the
 * environment variable of the same meaning): {@code KUBERNETES_SERVICE_HOST} and {@code _PORT}, the
 * token file and the CA file, with the kubeconfig switched off. The fabric8 mock API server in CRUD
 * mode plays the API server; it checks no credentials, so a {@link BearerCheck} in front of it
 * does, answering 401 as the real one would, and records what each request presented.
 */
class InClusterCredentialsTest {
  enum Credentials {
    FABRIC8_DEFAULT,
    IN_CLUSTER
  }

  @TempDir Path dir;
  private final SystemProperties properties = new SystemProperties();
  private BearerCheck check;

  @AfterEach
  void restoreProperties() {
    properties.close();
  }

  private static KubernetesDiscovery discovery(Credentials credentials) {
    KubernetesDiscovery.Builder builder =
        KubernetesDiscovery.builder()
            .namespace(NS)
            .portName("http")
            .connectionCheck(Duration.ofMillis(50));
    return (credentials == Credentials.IN_CLUSTER ? builder.inCluster() : builder).build();
  }

  /** Writes the token where the kubelet would (atomically, as its projected volumes do). */
  private void writeToken(String token) throws IOException {
    Path next = Files.writeString(dir.resolve("token.next"), token);
    Files.move(
        next,
        dir.resolve("token"),
        StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  /** The pod's files and environment, with no kubeconfig to fall back on. */
  private void actAsPod(String token) throws IOException {
    writeToken(token);
    properties
        .set(
            Config.KUBERNETES_AUTH_SERVICEACCOUNT_TOKEN_FILE_SYSTEM_PROPERTY,
            dir.resolve("token").toString())
        .set(Config.KUBERNETES_AUTH_TRYKUBECONFIG_SYSTEM_PROPERTY, "false")
        .set(Config.KUBERNETES_KUBECONFIG_FILE, dir.resolve("no-kubeconfig").toString())
        .set(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "true")
        .set(Config.KUBERNETES_DISABLE_AUTO_CONFIG_SYSTEM_PROPERTY, null)
        .set(Config.KUBERNETES_NAMESPACE_FILE, dir.resolve("namespace").toString())
        .set(Config.KUBERNETES_OAUTH_TOKEN_SYSTEM_PROPERTY, null)
        .set(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, null);
  }

  private static void apply(KubernetesClient admin, EndpointSlice slice) {
    admin.resource(slice).inNamespace(NS).createOr(existing -> existing.update());
  }

  @ParameterizedTest
  @EnumSource(Credentials.class)
  void theServiceAccountTokenReachesTheApiServerFoundThroughTheServiceEnvironmentOverTls(
      Credentials credentials) throws IOException {
    try (ApiServer api =
            new ApiServer(true, objects -> check = new BearerCheck(objects, "token-one"));
        KubernetesClient admin = api.client()) {
      actAsPod("token-one");
      // A real pod's CA file holds the cluster CA; the mock's self-signed certificate is its own
      // CA.
      properties
          .set(Config.KUBERNETES_SERVICE_HOST_PROPERTY, "localhost")
          .set(Config.KUBERNETES_SERVICE_PORT_PROPERTY, String.valueOf(api.port()))
          .set(Config.KUBERNETES_CA_CERTIFICATE_FILE_SYSTEM_PROPERTY, api.certificate())
          .set(Config.KUBERNETES_TRUST_CERT_SYSTEM_PROPERTY, null);
      apply(admin, ready("mathoid-abc", "10.0.0.1", "10.0.0.2"));
      try (Mesh mesh =
          Mesh.builder().service("mathoid", s -> s.discovery(discovery(credentials))).build()) {
        awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.2")));
      }
      assertFalse(check.seen.isEmpty(), "the discovery's requests went through the check");
      assertEquals(
          Set.of("Bearer token-one"), Set.copyOf(check.seen), "what the requests presented");
    }
  }

  @ParameterizedTest
  @EnumSource(Credentials.class)
  void aRotatedTokenFileIsReadAgain(Credentials credentials) throws IOException {
    // Plain HTTP here: the mock makes a new certificate at each start, and this test restarts it.
    // kubernetes.master overrides the service address in fabric8's in-cluster configuration and in
    // inCluster().
    try (ApiServer api =
            new ApiServer(false, objects -> check = new BearerCheck(objects, "token-one"));
        KubernetesClient admin = api.client()) {
      actAsPod("token-one");
      properties
          .set(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY, api.url())
          .set(Config.KUBERNETES_WATCH_RECONNECT_INTERVAL_SYSTEM_PROPERTY, "50")
          .set(Config.KUBERNETES_REQUEST_RETRY_BACKOFFINTERVAL_SYSTEM_PROPERTY, "50");
      apply(admin, ready("mathoid-abc", "10.0.0.1"));
      try (Mesh mesh =
          Mesh.builder().service("mathoid", s -> s.discovery(discovery(credentials))).build()) {
        awaitEndpoints(mesh, List.of(at("10.0.0.1")));

        // The kubelet rotates the token; the API server stops honouring the old one. A restart
        // drops
        // the watch, so the informer has to list and watch again with whatever token it now sends.
        writeToken("token-two");
        check.accept("token-two");
        int before = check.seen.size();
        api.stop();
        api.start();
        apply(admin, ready("mathoid-abc", "10.0.0.1", "10.0.0.9"));
        awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.9")));
        List<String> after = check.seen.subList(before, check.seen.size());
        assertTrue(
            after.contains("Bearer token-two"), "requests after the rotation presented " + after);
      }
    }
  }
}

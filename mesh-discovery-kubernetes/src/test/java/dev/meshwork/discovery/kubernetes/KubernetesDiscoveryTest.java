package dev.meshwork.discovery.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EndpointSlice discovery against the fabric8 Kubernetes mock server in CRUD mode (a real API
 * server is not available here): slices are created, scaled, marked not ready and deleted through
 * the API, and the mesh follows; a dropped watch recovers.
 */
class KubernetesDiscoveryTest {
  static final String NS = "wikimedia";

  private ApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = new ApiServer();
    client = api.client();
  }

  @AfterEach
  void stop() {
    client.close();
    api.close();
  }

  private KubernetesDiscovery.Builder discovery() {
    return KubernetesDiscovery.builder()
        .client(client)
        .namespace(NS)
        .portName("http")
        .connectionCheck(Duration.ofMillis(20));
  }

  private static Mesh mesh(KubernetesDiscovery source) {
    return Mesh.builder().service("mathoid", s -> s.discovery(source)).build();
  }

  /** A slice of service mathoid with port http=8080 (and metrics=9102) and the given endpoints. */
  private static EndpointSliceBuilder slice(String name) {
    return new EndpointSliceBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .addToLabels("kubernetes.io/service-name", "mathoid")
        .endMetadata()
        .withAddressType("IPv4")
        .addNewPort()
        .withName("http")
        .withPort(8080)
        .withProtocol("TCP")
        .endPort()
        .addNewPort()
        .withName("metrics")
        .withPort(9102)
        .withProtocol("TCP")
        .endPort();
  }

  private static EndpointSliceBuilder member(
      EndpointSliceBuilder slice,
      String ip,
      String pod,
      Boolean ready,
      Boolean serving,
      Boolean terminating) {
    return slice
        .addNewEndpoint()
        .withAddresses(ip)
        .withZone("eqiad-a")
        .withNewConditions()
        .withReady(ready)
        .withServing(serving)
        .withTerminating(terminating)
        .endConditions()
        .withNewTargetRef()
        .withKind("Pod")
        .withName(pod)
        .withNamespace(NS)
        .endTargetRef()
        .endEndpoint();
  }

  static EndpointSlice ready(String name, String... ips) {
    EndpointSliceBuilder builder = slice(name);
    for (int i = 0; i < ips.length; i++) {
      member(builder, ips[i], "mathoid-" + ips[i].replace('.', '-'), true, true, false);
    }
    return builder.build();
  }

  private void apply(EndpointSlice slice) {
    // The mock API server can answer 409 to an update racing its own bookkeeping (seen after a
    // restart under load); the test's write is the only writer, so trying again is safe.
    for (int attempt = 1; ; attempt++) {
      try {
        client.resource(slice).inNamespace(NS).createOr(existing -> existing.update());
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

  static void awaitEndpoints(Mesh mesh, List<Endpoint> expected) {
    Eventually.await(
        () -> mesh.endpoints("mathoid").equals(expected),
        () ->
            "endpoints "
                + expected
                + ", have "
                + mesh.endpoints("mathoid")
                + "; health "
                + mesh.discoveryHealth("mathoid"));
  }

  static Endpoint at(String ip) {
    return Endpoint.builder(ip, 8080).zone("eqiad-a").build();
  }

  private static void awaitError(Mesh mesh, String expectedPart) {
    Eventually.await(
        () -> {
          DiscoveryHealth health = mesh.discoveryHealth("mathoid");
          return health.status() == DiscoveryHealth.Status.FAILING
              && health.lastError().isPresent()
              && health.lastError().get().contains(expectedPart);
        },
        () ->
            "an error containing '"
                + expectedPart
                + "', health "
                + mesh.discoveryHealth("mathoid"));
  }

  @Test
  void followsSlicesBeingCreatedScaledMarkedNotReadyAndDeleted() {
    try (Mesh mesh = mesh(discovery().build())) {
      awaitEndpoints(mesh, List.of());
      apply(ready("mathoid-abc", "10.0.0.1", "10.0.0.2"));
      awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.2")));

      apply(ready("mathoid-abc", "10.0.0.1", "10.0.0.2", "10.0.0.3"));
      apply(ready("mathoid-def", "10.0.1.1"));
      awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.2"), at("10.0.0.3"), at("10.0.1.1")));

      EndpointSliceBuilder oneNotReady = slice("mathoid-abc");
      member(oneNotReady, "10.0.0.1", "p1", true, true, false);
      member(oneNotReady, "10.0.0.2", "p2", false, false, false);
      member(oneNotReady, "10.0.0.3", "p3", null, null, null);
      apply(oneNotReady.build());
      awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.3"), at("10.0.1.1")));

      client.resource(ready("mathoid-def")).inNamespace(NS).delete();
      client.resource(ready("mathoid-abc")).inNamespace(NS).delete();
      awaitEndpoints(mesh, List.of());
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
  }

  @Test
  void servingTerminatingEndpointsAreAFallbackOnlyWhenAskedAndNothingIsReady() {
    EndpointSliceBuilder draining = slice("mathoid-abc");
    member(draining, "10.0.0.1", "p1", false, true, true);
    member(draining, "10.0.0.2", "p2", false, false, true);
    apply(draining.build());
    try (Mesh strict = mesh(discovery().build());
        Mesh lenient =
            Mesh.builder()
                .service("mathoid", s -> s.discovery(discovery().terminatingFallback(true).build()))
                .build()) {
      awaitEndpoints(lenient, List.of(at("10.0.0.1")));
      awaitEndpoints(strict, List.of());
      member(draining, "10.0.0.3", "p3", true, true, false);
      apply(draining.build());
      awaitEndpoints(lenient, List.of(at("10.0.0.3")));
    }
  }

  @Test
  void labelsComeFromThePodsWhenConfigured() {
    client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("mathoid-10-0-0-1")
                .withNamespace(NS)
                .addToLabels("version", "v2")
                .addToLabels("team", "math")
                .endMetadata()
                .build())
        .create();
    apply(ready("mathoid-abc", "10.0.0.1", "10.0.0.2"));
    try (Mesh mesh = mesh(discovery().podLabels("version").build())) {
      awaitEndpoints(
          mesh,
          List.of(
              Endpoint.builder("10.0.0.1", 8080).zone("eqiad-a").label("version", "v2").build(),
              at("10.0.0.2")));
    }
  }

  @Test
  void anUnknownPortNameIsReportedAndTheLastGoodEndpointsStay() {
    apply(ready("mathoid-abc", "10.0.0.1"));
    try (Mesh mesh = mesh(discovery().build())) {
      awaitEndpoints(mesh, List.of(at("10.0.0.1")));
      EndpointSlice renamed =
          new EndpointSliceBuilder(ready("mathoid-abc", "10.0.0.1", "10.0.0.2"))
              .editFirstPort()
              .withName("https")
              .endPort()
              .build();
      apply(renamed);
      awaitError(
          mesh,
          "kubernetes[wikimedia/mathoid port http] for service 'mathoid': EndpointSlice mathoid-abc"
              + " has no port named 'http' (it has [https, metrics]); keeping the last good endpoints");
      assertEquals(List.of(at("10.0.0.1")), mesh.endpoints("mathoid"));
    }
    try (Mesh mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    s.discovery(KubernetesDiscovery.builder().client(client).namespace(NS).build()))
            .build()) {
      awaitError(
          mesh,
          "EndpointSlice mathoid-abc has 2 ports [https, metrics]; choose one with portName(...)");
    }
  }

  @Test
  void aDroppedWatchIsReportedAndRecoversWhileTheLastGoodEndpointsStay() {
    apply(ready("mathoid-abc", "10.0.0.1", "10.0.0.2"));
    try (Mesh mesh = mesh(discovery().build())) {
      awaitEndpoints(mesh, List.of(at("10.0.0.1"), at("10.0.0.2")));
      api.stop();
      // Either the periodic check ("the watch on the API server is down") or the informer's own
      // reconnect attempt ("could not be reached") reports it first; both name source and service.
      // The status may already be healthy again when the informer re-lists quickly, so this waits
      // for the report rather than for a FAILING status.
      Eventually.await(
          () -> {
            String error = mesh.discoveryHealth("mathoid").lastError().orElse("");
            return error.startsWith(
                "kubernetes[wikimedia/mathoid port http] for service 'mathoid': the ");
          },
          () -> "the lost API server reported, health " + mesh.discoveryHealth("mathoid"));
      assertEquals(List.of(at("10.0.0.1"), at("10.0.0.2")), mesh.endpoints("mathoid"));

      api.start();
      Eventually.await(() -> mesh.discoveryHealth("mathoid").healthy(), () -> "the watch back up");
      apply(ready("mathoid-abc", "10.0.0.2", "10.0.0.3"));
      awaitEndpoints(mesh, List.of(at("10.0.0.2"), at("10.0.0.3")));
    }
  }

  @Test
  void anApiServerRefusingTheCredentialsIsReportedClearly() throws Exception {
    HttpServer refusing =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    refusing.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"Unauthorized\","
                      + "\"reason\":\"Unauthorized\",\"code\":401}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(401, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    refusing.start();
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl("http://127.0.0.1:" + refusing.getAddress().getPort())
            .withOauthToken("expired-token")
            .withRequestRetryBackoffLimit(0)
            .build();
    try (KubernetesClient badClient = new KubernetesClientBuilder().withConfig(config).build();
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        s.discovery(
                            KubernetesDiscovery.builder()
                                .client(badClient)
                                .namespace(NS)
                                .portName("http")
                                .build()))
                .build()) {
      awaitError(
          mesh,
          "kubernetes[wikimedia/mathoid port http] for service 'mathoid': the API server answered 401");
      assertFalse(mesh.awaitDiscovery(Duration.ZERO));
      assertEquals(List.of(), mesh.endpoints("mathoid"));
    } finally {
      refusing.stop(0);
    }
  }

  @Test
  void withoutAClientItUsesTheKubeconfig(@TempDir Path dir) throws Exception {
    apply(ready("mathoid-abc", "10.0.0.7"));
    Path kubeconfig = writeKubeconfig(dir);
    try (SystemProperties properties =
            new SystemProperties().set(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        Mesh mesh = mesh(KubernetesDiscovery.builder().portName("http").build())) {
      awaitEndpoints(mesh, List.of(at("10.0.0.7")));
    }
  }

  /*
   * Its own test, so its own mock API server: closing a mesh's watch can hold the mock server's
   * event loop for many seconds (WatchEventsListener.onClosed waits for its executor), which
   * would starve a second mesh on the same server.
   */
  @Test
  void anExplicitKubeconfigIsReadWhateverTheEnvironmentSays(@TempDir Path dir) throws Exception {
    apply(ready("mathoid-abc", "10.0.0.7"));
    Path kubeconfig = writeKubeconfig(dir);
    try (Mesh mesh =
        mesh(KubernetesDiscovery.builder().kubeconfig(kubeconfig).portName("http").build())) {
      awaitEndpoints(mesh, List.of(at("10.0.0.7")));
    }
  }

  private Path writeKubeconfig(Path dir) throws java.io.IOException {
    Path kubeconfig = dir.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster: {server: "%s"}
        users:
        - name: restbase
          user: {token: "a-token"}
        contexts:
        - name: test
          context: {cluster: test, user: restbase, namespace: %s}
        current-context: test
        """
            .formatted(api.url(), NS));
    return kubeconfig;
  }

  @Test
  void credentialsAreChosenOnceAndAMissingKubeconfigIsNamed(@TempDir Path dir) {
    MeshConfigException twice =
        assertThrows(
            MeshConfigException.class,
            () -> KubernetesDiscovery.builder().client(client).inCluster().build());
    assertEquals(
        "kubernetes discovery credentials: 'client(...) and inCluster()' is invalid; expected at most one of"
            + " client(...), inCluster() and kubeconfig(...)",
        twice.getMessage());
    Path missing = dir.resolve("no-such-config");
    MeshConfigException absent =
        assertThrows(
            MeshConfigException.class,
            () -> mesh(KubernetesDiscovery.builder().kubeconfig(missing).namespace(NS).build()));
    assertEquals(
        "kubernetes[wikimedia/mathoid] kubeconfig: '"
            + missing
            + "' is invalid; expected a readable"
            + " kubeconfig file",
        absent.getMessage());
  }
}

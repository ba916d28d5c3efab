package dev.meshwork.reliability;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;

/**
 * The Kubernetes API of the discovery scenario: the fabric8 mock server in CRUD mode on a loopback
 * port, as mesh-discovery-kubernetes's tests run it. No real API server can run here; the mock
 * speaks the same REST and watch protocol for what discovery uses (list with a label selector,
 * watch). The objects live in the dispatcher, so {@link #stop()} and {@link #start()} make an
 * outage: connections refused, watches dropped, then the same objects on the same port.
 */
final class MockApiServer implements AutoCloseable {
  /** The mock logs every request at INFO through java.util.logging; kept here so it stays set. */
  private static final java.util.logging.Logger MOCK_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher();
  private final int port;
  private KubernetesMockServer server;

  MockApiServer() {
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(
        new Context(), new MockWebServer(), new HashMap<>(), objects, false);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A kubeconfig naming this server, for a discovery that builds its own client from it. */
  Path kubeconfig(Path directory, String namespace) throws IOException {
    Path file = directory.resolve("kubeconfig");
    Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: mock",
            "  cluster:",
            "    server: " + url(),
            "users:",
            "- name: reliability",
            "  user:",
            "    token: not-checked-by-the-mock",
            "contexts:",
            "- name: mock",
            "  context:",
            "    cluster: mock",
            "    user: reliability",
            "    namespace: " + namespace,
            "current-context: mock",
            ""));
    return file;
  }

  /** A client of the scenario's own, to create and change objects. */
  KubernetesClient client() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withRequestRetryBackoffInterval(50)
            .withRequestRetryBackoffLimit(3)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  synchronized void stop() {
    if (server != null) {
      KubernetesMockServer running = server;
      server = null;
      try {
        running.destroy();
      } catch (IllegalStateException slowShutdown) {
        // Vert.x took longer than the mock's close timeout on a loaded machine; the port is
        // released all the same.
        System.err.println("mock API server shutdown: " + slowShutdown);
      }
    }
  }

  synchronized void start() {
    if (server == null) {
      server = newServer();
      server.init(InetAddress.getLoopbackAddress(), port);
    }
  }

  @Override
  public void close() {
    stop();
  }
}

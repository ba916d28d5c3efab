package dev.meshwork.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;

/**
 * The fabric8 Kubernetes mock server in CRUD mode on a loopback port. No real API server is
 * available to these tests; the mock speaks the same REST and watch protocol for the calls used
 * here (list with label selectors, watch, create, update, delete). The stored objects live in the
 * dispatcher, so {@link #restart} drops every connection, watches included, and comes back on
 * the same port with the same objects: the way an API server restart looks to a client.
 */
final class ApiServer implements AutoCloseable {
  private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher();
  private KubernetesMockServer server;
  private final int port;

  ApiServer() {
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
  }

  private KubernetesMockServer newServer() {
    return new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), objects, false);
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** A client that reconnects quickly, so tests about dropped watches do not wait for long back-offs. */
  KubernetesClient client() {
    Config config = new ConfigBuilder(Config.empty())
        .withMasterUrl(url())
        .withNamespace("default")
        .withWatchReconnectInterval(50)
        .withRequestRetryBackoffInterval(50)
        .withRequestRetryBackoffLimit(3)
        .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  void stop() {
    if (server != null) {
      KubernetesMockServer running = server;
      server = null;
      try {
        running.destroy();
      } catch (IllegalStateException slowShutdown) {
        // Vert.x took longer than the mock's close timeout (a loaded machine); the port is
        // released all the same, and no test depends on the shutdown's own duration.
        System.err.println("mock API server shutdown: " + slowShutdown);
      }
    }
  }

  void start() {
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), port);
  }

  @Override
  public void close() {
    stop();
  }
}

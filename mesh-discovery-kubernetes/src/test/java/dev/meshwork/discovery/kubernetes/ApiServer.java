package dev.meshwork.discovery.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * The fabric8 Kubernetes mock server in CRUD mode on a loopback port. No real API server is
 * available to these tests; the mock speaks the same REST and watch protocol for the calls used
 * here (list with label selectors, watch, create, update, delete). The stored objects live in the
 * dispatcher, so {@link #restart} drops every connection, watches included, and comes back on the
 * same port with the same objects: the way an API server restart looks to a client.
 *
 * <p>Over TLS, the mock serves a self-signed certificate for {@code localhost}, made anew at each
 * start; {@link #certificate()} is the file a client can trust.
 */
final class ApiServer implements AutoCloseable {
  private final KubernetesCrudDispatcher objects = new KubernetesCrudDispatcher();
  private final Dispatcher dispatcher;
  private final boolean https;
  private MockWebServer web;
  private KubernetesMockServer server;
  private final int port;

  ApiServer() {
    this(false, objects -> objects);
  }

  /**
   * With {@code front} in front of the stored objects (such as a token check), over TLS if {@code
   * https}.
   */
  ApiServer(boolean https, UnaryOperator<Dispatcher> front) {
    this.https = https;
    this.dispatcher = front.apply(objects);
    server = newServer();
    server.init(InetAddress.getLoopbackAddress(), 0);
    port = server.getPort();
  }

  private KubernetesMockServer newServer() {
    web = new MockWebServer();
    return new KubernetesMockServer(new Context(), web, new HashMap<>(), dispatcher, https);
  }

  String url() {
    return https ? "https://localhost:" + port : "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** The PEM file of the certificate the running server presents (TLS only). */
  String certificate() {
    return web.getSelfSignedCertificate().certificatePath();
  }

  /**
   * The test's own client (to create and delete objects), reconnecting quickly so tests about
   * dropped watches do not wait for long back-offs. It trusts any certificate and sends the admin
   * token a {@link BearerCheck} lets through.
   */
  KubernetesClient client() {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url())
            .withNamespace("default")
            .withTrustCerts(true)
            .withOauthToken(BearerCheck.ADMIN.substring("Bearer ".length()))
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

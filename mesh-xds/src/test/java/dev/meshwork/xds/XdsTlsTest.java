package dev.meshwork.xds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Any;
import dev.meshwork.core.Mesh;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import dev.meshwork.xds.internal.ResourceType;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateProviderPluginInstance;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS from xDS against real HTTPS backends serving mesh certificates: this workload's
 * identity comes from the bootstrap's {@code file_watcher} certificate provider (PEM files as the
 * Istio agent writes them), the SPIFFE IDs its peers must present from the cluster's validation
 * context.
 */
class XdsTlsTest {
  private static final String LISTENER = "mathoid:8080";
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final SpiffeId CITOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "citoid");

  private final BuiltInCa ca = BuiltInCa.builder().build();
  @TempDir Path certs;
  private TlsBackends backends;
  private ControlPlane plane;
  private XdsClient xds;
  private Mesh mesh;

  @BeforeEach
  void start() throws Exception {
    backends = new TlsBackends(ca, MATHOID, "mathoid-1");
    plane = new ControlPlane();
  }

  @AfterEach
  void stop() throws Exception {
    if (xds != null) {
      xds.close();
    }
    if (mesh != null) {
      mesh.close();
    }
    plane.close();
    backends.close();
  }

  /** A cluster whose upstream TLS context takes certificates from {@code provider}. */
  static Cluster mtls(String provider, String peer) {
    UpstreamTlsContext tls =
        UpstreamTlsContext.newBuilder()
            .setCommonTlsContext(
                CommonTlsContext.newBuilder()
                    .setTlsCertificateProviderInstance(
                        CertificateProviderPluginInstance.newBuilder().setInstanceName(provider))
                    .setValidationContext(
                        CertificateValidationContext.newBuilder()
                            .setCaCertificateProviderInstance(
                                CertificateProviderPluginInstance.newBuilder()
                                    .setInstanceName(provider))
                            .addMatchTypedSubjectAltNames(
                                SubjectAltNameMatcher.newBuilder()
                                    .setSanType(SubjectAltNameMatcher.SanType.URI)
                                    .setMatcher(StringMatcher.newBuilder().setExact(peer)))))
            .build();
    return Resources.cluster("mathoid").toBuilder()
        .setTransportSocket(
            TransportSocket.newBuilder()
                .setName("envoy.transport_sockets.tls")
                .setTypedConfig(Any.pack(tls)))
        .build();
  }

  private Snapshot snapshot(String version, Cluster cluster) {
    return Snapshot.create(
        List.of(cluster),
        List.of(Resources.endpoints("mathoid", backends.address(0))),
        List.of(Resources.listener(LISTENER, "routes")),
        List.of(Resources.split("routes", LISTENER, Map.of("mathoid", 1))),
        List.of(),
        version);
  }

  private OkHttpClient connect(Snapshot first) throws Exception {
    plane.set(first);
    XdsBootstrap bootstrap =
        XdsBootstrap.builder()
            .server(plane.target())
            .node(XdsBootstrap.Node.of("restbase-1"))
            .certificateProvider("default", TlsBackends.writeFiles(certs, ca.issue(RESTBASE)))
            .build();
    mesh = Mesh.builder().security(bootstrap.meshTls("default")).build();
    xds = XdsClient.start(bootstrap, mesh, "http://mathoid:8080/");
    assertTrue(xds.awaitReady(Duration.ofSeconds(20)), () -> "ready: " + xds.status());
    assertTrue(mesh.awaitDiscovery(Duration.ofSeconds(20)));
    return MeshOkHttp.of(mesh).client();
  }

  private static String call(OkHttpClient client) throws IOException {
    try (Response response =
        client.newCall(new Request.Builder().url("http://mathoid:8080/render").build()).execute()) {
      assertEquals(200, response.code());
      return response.body().string();
    }
  }

  @Test
  void callsUseTheFileWatcherIdentityAndRequireTheClustersSpiffeId() throws Exception {
    OkHttpClient client = connect(snapshot("1", mtls("default", MATHOID.toString())));

    assertEquals("mathoid-1 saw " + RESTBASE, call(client), "mutual TLS with the agent's files");

    plane.set(snapshot("2", mtls("default", CITOID.toString())));
    plane.awaitAck(ResourceType.CLUSTER.typeUrl(), "2");
    IOException refused = assertThrows(IOException.class, () -> call(client));
    String message = refused.getMessage();
    assertTrue(message.contains("mathoid"), message);
    assertTrue(message.contains(backends.address(0)), message);
    assertTrue(
        message.contains(MATHOID.toString()) && message.contains(CITOID.toString()), message);

    plane.set(snapshot("3", mtls("default", MATHOID.toString())));
    plane.awaitAck(ResourceType.CLUSTER.typeUrl(), "3");
    assertEquals("mathoid-1 saw " + RESTBASE, call(client), "the right SPIFFE ID again");
  }

  @Test
  void aClusterNamingAnotherCertificateProviderIsNacked() throws Exception {
    OkHttpClient client = connect(snapshot("1", mtls("default", MATHOID.toString())));

    plane.set(snapshot("2", mtls("spire", MATHOID.toString())));
    DiscoveryRequest nack =
        plane.await(
            "a NACK of Cluster 2",
            r -> r.getTypeUrl().equals(ResourceType.CLUSTER.typeUrl()) && r.hasErrorDetail());
    assertEquals("1", nack.getVersionInfo());
    assertTrue(
        nack.getErrorDetail().getMessage().contains("certificate provider instance 'spire'"),
        nack.getErrorDetail().getMessage());
    assertEquals("mathoid-1 saw " + RESTBASE, call(client), "version 1 stays in use");
  }
}

package dev.meshwork.okhttp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.spi.MeshConfigurer;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Config swaps of a mutual-TLS service over real TLS peers: a swap that keeps the service's peer
 * identities keeps its pooled connections (no new handshake); one that changes them is in force for
 * the next call, over a new connection verified against the new identities.
 */
class LiveTlsConfigTest {
  private static final SpiffeId RESTBASE =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
  private static final SpiffeId MATHOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "mathoid");
  private static final SpiffeId CITOID =
      SpiffeId.forService(TrustDomain.DEFAULT, "default", "citoid");

  private final BuiltInCa ca = BuiltInCa.builder().build();
  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources) {
      resource.close();
    }
  }

  @Test
  void peerIdentitiesChangeForTheNextCallAndUnchangedOnesKeepTheirConnections() throws Exception {
    BuiltInCaSource backendSource = BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build();
    TlsBackend backend = new TlsBackend("mathoid-1", backendSource, MeshClock.system());
    BuiltInCaSource ownSource = BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build();
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(ownSource).build())
            .service("mathoid", s -> s.endpoints(backend.address()))
            .build();
    resources.add(mesh);
    resources.add(backend);
    resources.add(backendSource);
    resources.add(ownSource);
    MutualTlsTest.HandshakeCounter handshakes = new MutualTlsTest.HandshakeCounter();
    OkHttpClient client =
        MeshOkHttp.of(mesh).client().newBuilder().eventListener(handshakes).build();
    MeshConfigurer configurer = MeshConfigurer.of(mesh);

    MeshOkHttpTest.get(client, "http://mathoid/render");
    configurer.apply(
        List.of(
            ServiceConfig.builder("mathoid")
                .endpoints(backend.address())
                .timeout(Duration.ofSeconds(3))
                .build()),
        "test",
        "2");
    MeshOkHttpTest.get(client, "http://mathoid/render");
    assertEquals(1, handshakes.count.get(), "the swap kept the pooled TLS connection");

    configurer.apply(
        List.of(
            ServiceConfig.builder("mathoid")
                .endpoints(backend.address())
                .peerIdentities(CITOID.toString())
                .build()),
        "test",
        "3");
    MeshException.EndpointFailed refused =
        assertThrows(
            MeshException.EndpointFailed.class,
            () -> MeshOkHttpTest.get(client, "http://mathoid/render"));
    assertTrue(refused.getMessage().contains(MATHOID.toString()), refused.getMessage());

    configurer.apply(
        List.of(
            ServiceConfig.builder("mathoid")
                .endpoints(backend.address())
                .peerIdentities(MATHOID.toString())
                .build()),
        "test",
        "4");
    MeshOkHttpTest.get(client, "http://mathoid/render");
  }
}

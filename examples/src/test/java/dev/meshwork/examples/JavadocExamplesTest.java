package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceConfig;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.policy.HealthCheck;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.policy.SlowStart;
import dev.meshwork.core.routing.Fault;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.discovery.DnsDiscovery;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.TrustDomain;
import java.net.InetSocketAddress;
import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The code examples of the public Javadoc, copied here verbatim so that the build notices when one
 * no longer compiles. Keep each method's body the same as the example it names.
 */
class JavadocExamplesTest {

  /** {@code MeshBuilder}'s class Javadoc. Compiled, not run: the DNS name is illustrative. */
  static Mesh meshBuilder(BuiltInCa ca, SpiffeId restbase) {
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build();
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(source).build())
            .localZone("eqiad-a")
            .service(
                "mathoid", s -> s.discovery(DnsDiscovery.srv("_http._tcp.mathoid.svc").build()))
            .build();
    return mesh;
  }

  /** {@code MeshTls}'s class Javadoc. */
  static Mesh meshTls() {
    BuiltInCa ca = BuiltInCa.builder().build();
    SpiffeId restbase = SpiffeId.forService(TrustDomain.DEFAULT, "default", "restbase");
    BuiltInCaSource source = BuiltInCaSource.builder().ca(ca).spiffeId(restbase).build();
    Mesh mesh =
        Mesh.builder()
            .security(MeshTls.builder().source(source).closeSourceWithMesh(true).build())
            .service("mathoid", s -> s.endpoints("10.64.0.11:10044"))
            .build();
    return mesh;
  }

  /** {@code Mesh}'s class Javadoc. */
  static void mesh() {
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.endpoints("127.0.0.1:8081", "127.0.0.1:8082"))
            .build()) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      // client.newCall(new Request.Builder().url("http://mathoid/render").build())...
    }
  }

  /** {@code DnsDiscovery}'s class Javadoc. */
  static void dnsDiscovery() {
    DiscoverySource mathoid =
        DnsDiscovery.srv("_http._tcp.mathoid.default.svc.cluster.local")
            .resolver(new InetSocketAddress("10.96.0.10", 53))
            .build();
    DiscoverySource restbase = DnsDiscovery.addresses("restbase.discovery.wmnet", 7231).build();
  }

  /**
   * {@code ServiceConfig}, {@code StaticDiscovery}, {@code Endpoint} and the policies' class
   * Javadoc.
   */
  static void coreTypes() {
    ServiceConfig mathoid =
        ServiceConfig.builder("mathoid").endpoints("127.0.0.1:8081", "127.0.0.1:8082").build();
    DiscoverySource source =
        StaticDiscovery.of(Endpoint.parse("127.0.0.1:8081"), Endpoint.parse("127.0.0.1:8082"));
    Endpoint v2 = Endpoint.parse("10.0.4.7:10044 weight=2 zone=eqiad-a version=v2");
    Endpoint same =
        Endpoint.builder("10.0.4.7", 10044)
            .weight(2)
            .zone("eqiad-a")
            .label("version", "v2")
            .build();
    ServiceConfig.builder("mathoid")
        .endpoints("127.0.0.1:8081")
        .slowStart(SlowStart.of(Duration.ofSeconds(60)))
        .slowStart(
            SlowStart.builder(Duration.ofSeconds(60)).aggression(2).minWeightPercent(5).build())
        .healthCheck(HealthCheck.http("/healthz").interval(Duration.ofSeconds(2)).build())
        .retries(RetryPolicy.builder().maxAttempts(3).retriableStatuses(503).build());
    Route canary =
        Route.builder("render-canary")
            .pathPrefix("/render")
            .split("v1", 90)
            .split("v2", 10)
            .override("x-canary", "always", "v2")
            .build();
    RouteTable table =
        RouteTable.builder()
            .subset("v1", "version", "v1")
            .subset("v2", "version", "v2")
            .route(
                Route.builder("canary")
                    .split("v1", 95)
                    .split("v2", 5)
                    .override("x-canary", "always", "v2")
                    .build())
            .build();
    Fault.builder()
        .delay(Duration.ofMillis(200), 10)
        .abortStatus(503, 5)
        .onlyWithHeader("x-chaos")
        .build();
  }

  @Test
  void theExamplesThatNeedNoNetworkRun() {
    coreTypes();
    mesh();
    Mesh mesh = meshTls();
    String security = mesh.security().orElseThrow().toString();
    mesh.close();
    assertTrue(security.contains("source closed with the mesh"), security);
    assertEquals(1, mesh.services().size());
  }
}

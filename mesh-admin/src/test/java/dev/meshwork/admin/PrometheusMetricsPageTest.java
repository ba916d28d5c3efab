package dev.meshwork.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshClock;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.telemetry.Telemetry;
import dev.meshwork.okhttp.Backends;
import dev.meshwork.okhttp.Closer;
import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.okhttp.TlsBackend;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.BuiltInCaSource;
import dev.meshwork.tls.MeshTls;
import dev.meshwork.tls.SpiffeId;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} serves the mesh's meters in the Prometheus text format when the telemetry's
 * registry is a {@link PrometheusMeterRegistry}: golden metrics of real mTLS calls, the client
 * certificate's seconds to expiry, and injected faults. Without one it answers 404 saying how.
 */
class PrometheusMetricsPageTest {
  private static final AdminOptions ANY_PORT = AdminEndpointTest.ANY_PORT;
  private static final SpiffeId RESTBASE = AdminEndpointTest.RESTBASE;
  private static final SpiffeId MATHOID = AdminEndpointTest.MATHOID;

  private final Closer closer = new Closer();

  @AfterEach
  void close() throws Exception {
    closer.close();
  }

  private <T extends AutoCloseable> T closeLater(T resource) {
    return closer.add(resource);
  }

  @Test
  void metricsPageShowsGoldenMetricsCertificateExpiryAndFaults() throws Exception {
    BuiltInCa ca = BuiltInCa.builder().build();
    BuiltInCaSource restbase =
        closeLater(BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).build());
    BuiltInCaSource mathoidSource =
        closeLater(BuiltInCaSource.builder().ca(ca).spiffeId(MATHOID).build());
    TlsBackend backend = closeLater(new TlsBackend("mathoid", mathoidSource, MeshClock.system()));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .telemetry(Telemetry.builder().meterRegistry(registry).build())
                    .security(MeshTls.builder().source(restbase).build())
                    .service(
                        "mathoid",
                        s ->
                            s.endpoints(backend.address())
                                .routes(
                                    RouteTable.builder()
                                        .route(
                                            Route.builder("chaos")
                                                .fault(
                                                    f ->
                                                        f.abortStatus(503, 100)
                                                            .onlyWithHeader("x-chaos"))
                                                .build())
                                        .build()))
                    .build(),
                ANY_PORT));
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    for (int i = 0; i < 3; i++) {
      assertEquals(
          200, Backends.statusOf(client, new Request.Builder().url("http://mathoid/").build()));
    }
    assertEquals(
        503,
        Backends.statusOf(
            client, new Request.Builder().url("http://mathoid/").header("x-chaos", "1").build()));

    AdminPages.Page page = new AdminPages(mesh).get("/metrics");
    assertEquals(200, page.status());
    String text = page.body();
    String endpointTags = "mesh_endpoint=\"" + backend.address() + "\",mesh_service=\"mathoid\"";
    assertEquals(
        3.0, sample(text, "http_client_request_duration_seconds_count", endpointTags), text);
    assertEquals(
        1.0,
        sample(text, "mesh_faults_injected_total", "fault=\"abort\",mesh_service=\"mathoid\""),
        text);
    double expiry = sample(text, "mesh_tls_certificate_expiry_seconds", "mesh_service=\"mathoid\"");
    assertTrue(
        expiry > Duration.ofHours(23).toSeconds() && expiry <= Duration.ofHours(24).toSeconds(),
        "a fresh 24 h leaf expires in about a day: " + expiry);
  }

  @Test
  void withoutAPrometheusRegistryTheMetricsPageSaysHowToGetOne() throws Exception {
    Mesh mesh =
        closeLater(
            MeshAdmins.started(
                Mesh.builder()
                    .decisions(256)
                    .service("mathoid", s -> s.endpoints(Backends.closedAddress()))
                    .build(),
                ANY_PORT));
    AdminPages.Page page = new AdminPages(mesh).get("/metrics");
    assertEquals(404, page.status());
    assertTrue(page.body().contains("micrometer-registry-prometheus"), page.body());
  }

  /**
   * The value of the sample {@code name} whose label set contains {@code labels} (in Prometheus'
   * sorted order).
   */
  private static double sample(String text, String name, String labels) {
    Matcher line =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$").matcher(text);
    while (line.find()) {
      if (line.group(1).contains(labels)) {
        return Double.parseDouble(line.group(2));
      }
    }
    throw new AssertionError("no sample " + name + "{" + labels + "} in:\n" + text);
  }
}

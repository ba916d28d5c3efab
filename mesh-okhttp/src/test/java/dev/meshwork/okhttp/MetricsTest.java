package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.policy.CircuitBreakerPolicy;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.GET;
import retrofit2.http.Path;

/** Micrometer meters of real calls to WireMock backends, read back from a simple registry. */
class MetricsTest {
  private static final Request RENDER =
      new Request.Builder().url("http://mathoid/render/svg").build();

  @MeshService("mathoid")
  interface MathoidApi {
    @GET("render/{format}")
    Call<String> render(@Path("format") String format);
  }

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private Backends backends;
  private Mesh mesh;

  @AfterEach
  void stop() {
    if (mesh != null) {
      mesh.close();
    }
    backends.close();
  }

  private OkHttpClient mesh(UnaryOperator<Telemetry.Builder> telemetry, int... statuses) {
    backends = new Backends(statuses.length);
    for (int i = 0; i < statuses.length; i++) {
      backends
          .get(i)
          .stubFor(
              any(anyUrl())
                  .willReturn(aResponse().withStatus(statuses[i]).withBody("backend-" + i)));
    }
    mesh =
        Mesh.builder()
            .telemetry(telemetry.apply(Telemetry.builder().meterRegistry(registry)).build())
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                                .build()))
            .build();
    return MeshOkHttp.of(mesh).client();
  }

  private Collection<Timer> durations() {
    return registry.find(Telemetry.REQUEST_DURATION).timers();
  }

  private long count(int backend, String outcome) {
    Timer timer =
        registry
            .find(Telemetry.REQUEST_DURATION)
            .tag("mesh.endpoint", backends.address(backend))
            .tag("outcome", outcome)
            .timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void everyAttemptIsTimedPerEndpointWithBoundedTags() throws Exception {
    OkHttpClient client = mesh(t -> t, 200, 200);
    for (int i = 0; i < 4; i++) {
      assertEquals(200, Backends.statusOf(client, RENDER));
    }
    assertEquals(2, count(0, "SUCCESS"));
    assertEquals(2, count(1, "SUCCESS"));
    for (Timer timer : durations()) {
      assertEquals("mathoid", timer.getId().getTag("mesh.service"));
      assertEquals("GET", timer.getId().getTag("http.request.method"));
      assertEquals(
          "none", timer.getId().getTag("url.template"), "no template known: never the raw path");
      assertTrue(timer.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) > 0);
    }
    assertEquals(
        2.0, registry.get("mesh.endpoints.total").tag("mesh.service", "mathoid").gauge().value());
    assertEquals(2.0, registry.get("mesh.endpoints.healthy").gauge().value());
    assertEquals(0.0, registry.get("mesh.requests.active").gauge().value());
    assertEquals(
        0.0,
        registry
            .get("http.client.open_connections")
            .tag("http.connection.state", "active")
            .gauge()
            .value());
    assertEquals(
        2.0,
        registry
            .get("http.client.open_connections")
            .tag("http.connection.state", "idle")
            .gauge()
            .value(),
        "one pooled connection per backend");
    double staleness = registry.get("mesh.discovery.staleness").gauge().value();
    assertTrue(
        staleness >= 0 && staleness < 3600, "seconds since the static list answered: " + staleness);
  }

  @Test
  void retriesAreCountedWithTheirReasonAndFailedAttemptsByOutcome() throws Exception {
    OkHttpClient client = mesh(t -> t, 503, 200);
    assertEquals(200, Backends.statusOf(client, RENDER));
    assertEquals(1, count(0, "SERVER_ERROR"));
    assertEquals(1, count(1, "SUCCESS"));
    assertEquals(1.0, registry.get("mesh.retries").tag("reason", "status_503").counter().count());
  }

  @Test
  void aRetrofitCallIsTaggedWithItsPathTemplate() throws Exception {
    mesh(t -> t, 200);
    MathoidApi api =
        MeshOkHttp.of(mesh)
            .create(MathoidApi.class, b -> b.addConverterFactory(ScalarsConverterFactory.create()));
    api.render("svg").execute();
    api.render("png").execute();
    Timer timer =
        registry.get(Telemetry.REQUEST_DURATION).tag("url.template", "/render/{format}").timer();
    assertEquals(2, timer.count(), "both paths share their template's timer");
  }

  @Test
  void aConfiguredMapperTemplatesPlainOkHttpCalls() throws Exception {
    OkHttpClient client =
        mesh(
            t -> t.pathTemplate(path -> path.startsWith("/render/") ? "/render/{format}" : null),
            200);
    assertEquals(200, Backends.statusOf(client, RENDER));
    assertEquals(
        200, Backends.statusOf(client, new Request.Builder().url("http://mathoid/health").build()));
    assertEquals(
        1,
        registry
            .get(Telemetry.REQUEST_DURATION)
            .tag("url.template", "/render/{format}")
            .timer()
            .count());
    assertEquals(
        1, registry.get(Telemetry.REQUEST_DURATION).tag("url.template", "none").timer().count());
  }

  @Test
  void endpointsBeyondTheCapShareTheOtherTag() throws Exception {
    OkHttpClient client = mesh(t -> t.endpointTagLimit(1), 200, 200, 200);
    for (int i = 0; i < 6; i++) {
      assertEquals(200, Backends.statusOf(client, RENDER));
    }
    Set<String> tags = new TreeSet<>();
    long total = 0;
    for (Timer timer : durations()) {
      tags.add(timer.getId().getTag("mesh.endpoint"));
      total += timer.count();
    }
    // Round robin starts at the first backend, which claims the only own tag.
    assertEquals(new TreeSet<>(Set.of(backends.address(0), "other")), tags);
    assertEquals(2, count(0, "SUCCESS"));
    assertEquals(
        4, registry.get(Telemetry.REQUEST_DURATION).tag("mesh.endpoint", "other").timer().count());
    assertEquals(6, total);
  }

  @Test
  void metersAreCachedNotRegisteredPerCall() throws Exception {
    OkHttpClient client = mesh(t -> t, 200);
    assertEquals(200, Backends.statusOf(client, RENDER));
    int meters = registry.getMeters().size();
    Timer first = registry.get(Telemetry.REQUEST_DURATION).timer();
    for (int i = 0; i < 20; i++) {
      assertEquals(200, Backends.statusOf(client, RENDER));
    }
    assertEquals(meters, registry.getMeters().size(), "no meter added by later calls");
    assertSame(first, registry.get(Telemetry.REQUEST_DURATION).timer());
    assertEquals(21, first.count());
  }

  @Test
  void breakerStateAndEjectionsAreReported() throws Exception {
    backends = new Backends(2);
    backends.get(0).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(503)));
    backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
    mesh =
        Mesh.builder()
            .telemetry(Telemetry.builder().meterRegistry(registry).build())
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backends.addresses())
                        .retries(RetryPolicy.disabled())
                        .circuitBreaker(CircuitBreakerPolicy.builder().build())
                        .outlierDetection(
                            OutlierDetection.builder()
                                .consecutive5xx(2)
                                .consecutiveGatewayFailures(2)
                                .build()))
            .build();
    OkHttpClient client = MeshOkHttp.of(mesh).client();
    assertEquals(1.0, registry.get("mesh.circuit.state").tag("state", "CLOSED").gauge().value());
    assertEquals(0.0, registry.get("mesh.circuit.state").tag("state", "OPEN").gauge().value());
    for (int i = 0; i < 4; i++) {
      Backends.statusOf(client, RENDER); // round robin: 503, 200, 503 (ejected now), 200
    }
    assertEquals(
        1.0,
        registry.get("mesh.ejections").tag("mesh.endpoint", backends.address(0)).counter().count());
    assertEquals(1.0, registry.get("mesh.endpoints.healthy").gauge().value());
    Meter.Id ejections =
        registry.get("mesh.ejections").tag("mesh.endpoint", backends.address(0)).counter().getId();
    assertEquals("mathoid", ejections.getTag("mesh.service"));
  }

  @Test
  void activeRequestsShowACallInFlight() throws Exception {
    OkHttpClient client = mesh(t -> t, 200);
    backends
        .get(0)
        .stubFor(
            any(anyUrl())
                .atPriority(1)
                .willReturn(aResponse().withStatus(200).withFixedDelay(1_000)));
    assertEquals(
        200,
        Backends.statusOf(client, new Request.Builder().url("http://mathoid/warm-up").build()));
    var endpointActive =
        registry
            .get("mesh.endpoint.requests.active")
            .tag("mesh.endpoint", backends.address(0))
            .gauge();
    var serviceActive = registry.get("mesh.requests.active").gauge();
    assertEquals(0.0, endpointActive.value());

    java.util.concurrent.CompletableFuture<Integer> inFlight =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return Backends.statusOf(client, RENDER);
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    Backends.await(
        () -> endpointActive.value() == 1.0, Duration.ofSeconds(10), () -> "one attempt in flight");
    assertEquals(1.0, serviceActive.value());
    assertEquals(200, inFlight.get());
    assertEquals(0.0, endpointActive.value());
  }

  @Test
  void closingTheMeshRemovesItsMeters() throws Exception {
    OkHttpClient client = mesh(t -> t, 200);
    assertEquals(200, Backends.statusOf(client, RENDER));
    mesh.close();
    assertEquals(Set.of(), Set.copyOf(registry.getMeters()), "meters left behind");
  }
}

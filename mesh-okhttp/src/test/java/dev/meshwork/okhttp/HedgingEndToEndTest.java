package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.MeshSnapshot.EndpointStatus;
import dev.meshwork.core.balancer.LoadBalancers;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.http.GET;

/** Hedged requests against real WireMock servers: a backup to another endpoint beats a slow one. */
class HedgingEndToEndTest {

  @MeshService("mathoid")
  interface HedgedApi {
    @Hedge(delayMillis = 50)
    @GET("render")
    Call<ResponseBody> render();
  }

  @MeshService("mathoid")
  interface BadHedgeApi {
    @Hedge(delayMillis = 0)
    @GET("render")
    Call<ResponseBody> render();
  }

  @Test
  void aBackupAttemptAnswersWhileTheSlowEndpointStillWorks() throws Exception {
    try (ThreeBackends backends = new ThreeBackends();
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s -> s.endpoints(backends.addresses()).loadBalancer(LoadBalancers.roundRobin()))
                .build()) {
      // Round robin sends the first call to backend-1, which answers only after 5 s.
      backends
          .get(0)
          .stubFor(
              any(anyUrl())
                  .atPriority(1)
                  .willReturn(aResponse().withBody("backend-1").withFixedDelay(5_000)));
      HedgedApi api = MeshOkHttp.of(mesh).create(HedgedApi.class);
      long start = System.nanoTime();
      String body = api.render().execute().body().string();
      long elapsed = System.nanoTime() - start;
      assertTrue(
          body.equals("backend-2") || body.equals("backend-3"),
          "the backup goes to another endpoint and wins: " + body);
      // Generous bound: the slow backend needs 5 s; the hedge answers after about 50 ms.
      assertTrue(
          elapsed < Duration.ofSeconds(3).toNanos(),
          "took " + Duration.ofNanos(elapsed).toMillis() + " ms");
      backends.get(0).verify(1, anyRequestedFor(anyUrl()));
      assertEquals(
          1,
          backends.get(1).getAllServeEvents().size() + backends.get(2).getAllServeEvents().size(),
          "exactly one backup");
    }
  }

  /**
   * A slow but healthy backend under the default outlier detection and breaker: with the service
   * hedged, it loses every race it is in and its attempts are cancelled. That is no failure of it:
   * it answers 200 to everything, so it must be neither ejected nor counted as failing.
   */
  @Test
  void aSlowButHealthyBackendThatLosesHedgedRacesIsNotEjected() throws Exception {
    try (Backends backends = new Backends(2);
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s ->
                        s.endpoints(backends.addresses())
                            .loadBalancer(LoadBalancers.roundRobin())
                            .hedging(Duration.ofMillis(20)))
                .build()) {
      backends
          .get(0)
          .stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withFixedDelay(300)));
      backends.get(1).stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      Request get = new Request.Builder().url("http://mathoid/render").build();
      for (int i = 0; i < 24; i++) {
        assertEquals(200, Backends.statusOf(client, get), "call " + i);
      }
      assertTrue(
          backends.requests(0) >= 6, "the slow backend was in races: " + backends.requests(0));
      for (EndpointStatus status : mesh.endpointStatus("mathoid")) {
        assertFalse(status.ejected(), status.toString());
        assertEquals(0, status.failures(), status.toString());
      }
    }
  }

  @Test
  void withoutHedgingTheSameCallWaitsForTheSlowEndpoint() throws Exception {
    // The control: the same setup through a plain client (no @Hedge, service not hedging) is
    // answered by backend-1.
    try (ThreeBackends backends = new ThreeBackends();
        Mesh mesh =
            Mesh.builder()
                .service(
                    "mathoid",
                    s -> s.endpoints(backends.addresses()).loadBalancer(LoadBalancers.roundRobin()))
                .build()) {
      backends
          .get(0)
          .stubFor(
              any(anyUrl())
                  .atPriority(1)
                  .willReturn(aResponse().withBody("backend-1").withFixedDelay(300)));
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      assertEquals("backend-1", MeshOkHttpTest.get(client, "http://mathoid/render"));
      backends.get(1).verify(0, anyRequestedFor(anyUrl()));
    }
  }

  @Test
  void aBadHedgeDelayFailsAtCreateNamingTheMethod() {
    try (ThreeBackends backends = new ThreeBackends();
        Mesh mesh =
            Mesh.builder().service("mathoid", s -> s.endpoints(backends.addresses())).build()) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> MeshOkHttp.of(mesh).create(BadHedgeApi.class));
      assertTrue(e.getMessage().contains("BadHedgeApi.render()"), e.getMessage());
      assertTrue(e.getMessage().contains("@Hedge(delayMillis): '0' is invalid"), e.getMessage());
    }
  }
}

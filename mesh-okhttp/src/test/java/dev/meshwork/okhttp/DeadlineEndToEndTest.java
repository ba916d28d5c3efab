package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.Timeouts;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import retrofit2.Call;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.GET;

/**
 * Deadlines against a real backend that stalls. Elapsed time is only checked against generous
 * bounds (several times the deadline) because the machine may be loaded; the outcome is exact.
 */
class DeadlineEndToEndTest {
  @MeshService("mathoid")
  interface MathoidApi {
    @GET("quick")
    Call<String> quick();

    @Timeout(millis = 100)
    @GET("quick")
    Call<String> quickInAHurry();

    @Timeout(millis = 5_000)
    @GET("slow")
    Call<String> slowButPatient();
  }

  private Backends backends;
  private String address;

  @BeforeEach
  void start() {
    backends = new Backends(1);
    address = backends.address(0);
    backends
        .get(0)
        .stubFor(
            get(urlEqualTo("/stalled"))
                .willReturn(aResponse().withBody("late").withFixedDelay(5_000)));
    backends
        .get(0)
        .stubFor(
            get(urlEqualTo("/slow"))
                .willReturn(aResponse().withBody("slow").withFixedDelay(1_500)));
    backends
        .get(0)
        .stubFor(
            get(urlEqualTo("/quick"))
                .willReturn(aResponse().withBody("quick").withFixedDelay(300)));
    backends.get(0).stubFor(get(urlEqualTo("/now")).willReturn(aResponse().withBody("now")));
  }

  @AfterEach
  void stop() {
    backends.close();
  }

  private Mesh mesh(Duration timeout, boolean propagate) {
    return Mesh.builder()
        .service(
            "mathoid",
            s -> Backends.plain(s, address).timeout(timeout).propagateDeadline(propagate))
        .build();
  }

  @Test
  void theServiceTimeoutEndsACallToAStalledBackendOnTime() {
    try (Mesh mesh = mesh(Duration.ofMillis(300), false)) {
      OkHttpClient client = MeshOkHttp.of(mesh).client();
      long start = System.nanoTime();
      MeshException.DeadlineExceeded e =
          assertThrows(
              MeshException.DeadlineExceeded.class,
              () ->
                  Backends.statusOf(
                      client, new Request.Builder().url("http://mathoid/stalled").build()));
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(
          e.getMessage().startsWith("service 'mathoid' endpoint " + address + ": "),
          e.getMessage());
      assertTrue(e.getMessage().contains("deadline"), e.getMessage());
      // 300 ms deadline against a 5 s stall: 3 s is ten times the deadline and still well short of
      // the stall.
      assertTrue(elapsed.toMillis() < 3_000, "call ended after " + elapsed);
    }
  }

  @Test
  void aTimeoutAnnotationOverridesTheServiceTimeoutBothWays() throws IOException {
    try (Mesh mesh = mesh(Duration.ofMillis(1_000), false)) {
      MathoidApi api =
          MeshOkHttp.of(mesh)
              .create(
                  MathoidApi.class, b -> b.addConverterFactory(ScalarsConverterFactory.create()));
      // The service's 1 s is enough for a 300 ms answer ...
      assertEquals("quick", api.quick().execute().body());
      // ... a method's 100 ms is not, ...
      assertDeadline(() -> api.quickInAHurry().execute());
      // ... and a method's 5 s outlasts the service's 1 s for a 1.5 s answer.
      assertEquals("slow", api.slowButPatient().execute().body());
    }
  }

  @Test
  void thePropagatedDeadlineReachesTheBackendWithinTheTimeout() throws IOException {
    try (Mesh mesh = mesh(Duration.ofMillis(2_000), true)) {
      assertEquals(
          200,
          Backends.statusOf(
              MeshOkHttp.of(mesh).client(),
              new Request.Builder().url("http://mathoid/now").build()));
    }
    List<LoggedRequest> received = backends.get(0).findAll(anyRequestedFor(anyUrl()));
    assertEquals(1, received.size());
    long sent = Long.parseLong(received.get(0).getHeader(Timeouts.DEADLINE_HEADER));
    assertTrue(sent > 0 && sent <= 2_000, Timeouts.DEADLINE_HEADER + ": " + sent);
  }

  @Test
  void withoutPropagationNoDeadlineHeaderIsSent() throws IOException {
    try (Mesh mesh = mesh(Duration.ofMillis(2_000), false)) {
      assertEquals(
          200,
          Backends.statusOf(
              MeshOkHttp.of(mesh).client(),
              new Request.Builder().url("http://mathoid/now").build()));
    }
    assertNull(
        backends
            .get(0)
            .findAll(anyRequestedFor(anyUrl()))
            .get(0)
            .getHeader(Timeouts.DEADLINE_HEADER));
  }

  private void assertDeadline(Executable call) {
    MeshException.DeadlineExceeded e = assertThrows(MeshException.DeadlineExceeded.class, call);
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
  }
}

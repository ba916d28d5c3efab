package dev.meshwork.okhttp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshException;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import retrofit2.Call;
import retrofit2.Response;
import retrofit2.converter.scalars.ScalarsConverterFactory;
import retrofit2.http.Body;
import retrofit2.http.GET;
import retrofit2.http.POST;

/**
 * Per-method retry annotations and the server's {@code Retry-After}, end to end against one real
 * backend whose answers change from call to call. The service keeps the default policy (2 attempts,
 * 502/503/504 retried) so each annotation shows against the default's behaviour.
 */
class RetryAnnotationsTest {
  @MeshService("mathoid")
  interface MathoidApi {
    @GET("flaky")
    Call<String> byDefault();

    @NoRetry
    @GET("flaky")
    Call<String> never();

    @Retry(attempts = 3)
    @GET("flaky")
    Call<String> thrice();

    @POST("orders")
    Call<String> order(@Body String order);

    @Idempotent
    @POST("orders")
    Call<String> deduplicatedOrder(@Body String order);
  }

  @MeshService("mathoid")
  interface NoAttempts {
    @Retry(attempts = 0)
    @GET("x")
    Call<String> x();
  }

  @MeshService("mathoid")
  interface NegativeTimeout {
    @Timeout(millis = -1)
    @GET("y")
    Call<String> y();
  }

  private static final ResponseDefinitionBuilder UNAVAILABLE = aResponse().withStatus(503);
  private static final ResponseDefinitionBuilder OK = aResponse().withStatus(200).withBody("ok");

  private Backends backend;
  private Mesh mesh;
  private MathoidApi api;

  @BeforeEach
  void start() {
    backend = new Backends(1);
    mesh =
        Mesh.builder()
            .service(
                "mathoid",
                s ->
                    Backends.plain(s, backend.address(0))
                        .retries(
                            RetryPolicy.builder()
                                .backoff(Duration.ofMillis(1), Duration.ofMillis(2))
                                .build()))
            .build();
    api =
        MeshOkHttp.of(mesh)
            .create(MathoidApi.class, b -> b.addConverterFactory(ScalarsConverterFactory.create()));
  }

  @AfterEach
  void stop() {
    mesh.close();
    backend.close();
  }

  private void flaky(ResponseDefinitionBuilder... answers) {
    backend.answerInTurn(0, () -> get(urlEqualTo("/flaky")), answers);
  }

  @Test
  void noRetryReturnsTheFirst503WhereTheDefaultRetries() throws IOException {
    flaky(UNAVAILABLE, OK);
    assertEquals(503, api.never().execute().code());
    assertEquals(1, backend.requests(0));

    backend.get(0).resetScenarios();
    assertEquals("ok", api.byDefault().execute().body(), "the default policy retries the 503");
    assertEquals(3, backend.requests(0));
  }

  @Test
  void retryThreeAttemptsOutlastsTwo503sWhereTheDefaultGivesUp() throws IOException {
    flaky(UNAVAILABLE, UNAVAILABLE, OK);
    assertEquals("ok", api.thrice().execute().body());
    assertEquals(3, backend.requests(0));

    backend.get(0).resetScenarios();
    assertEquals(503, api.byDefault().execute().code(), "two attempts, both 503");
    assertEquals(5, backend.requests(0));
  }

  @Test
  void anIdempotentPostIsRetriedAfterAResetAPlainOneIsNot() throws IOException {
    backend.answerInTurn(
        0,
        () -> post(urlEqualTo("/orders")),
        aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER),
        OK);
    assertEquals("ok", api.deduplicatedOrder("order-1").execute().body());
    assertEquals(2, backend.requests(0));

    backend.get(0).resetScenarios();
    MeshException.EndpointFailed e =
        assertThrows(MeshException.EndpointFailed.class, () -> api.order("order-2").execute());
    assertTrue(
        e.getMessage().startsWith("service 'mathoid' endpoint " + backend.address(0)),
        e.getMessage());
    assertEquals(3, backend.requests(0), "the POST that may have been processed is not sent again");
  }

  @Test
  void badAnnotationValuesAreRefusedAtCreateNamingTheMethod() {
    MeshOkHttp http = MeshOkHttp.of(mesh);
    IllegalArgumentException attempts =
        assertThrows(IllegalArgumentException.class, () -> http.create(NoAttempts.class));
    assertTrue(
        attempts.getMessage().startsWith(NoAttempts.class.getName() + ".x(): "),
        attempts.getMessage());
    assertTrue(attempts.getMessage().contains("@Retry(attempts)"), attempts.getMessage());

    IllegalArgumentException timeout =
        assertThrows(IllegalArgumentException.class, () -> http.create(NegativeTimeout.class));
    assertTrue(
        timeout.getMessage().startsWith(NegativeTimeout.class.getName() + ".y(): "),
        timeout.getMessage());
    assertTrue(
        timeout.getMessage().contains("@Timeout(millis): '-1' is invalid"), timeout.getMessage());
  }

  @Test
  void retryAfterZeroIsHonouredAndTheCallSucceeds() throws IOException {
    flaky(aResponse().withStatus(503).withHeader("Retry-After", "0"), OK);
    assertEquals("ok", api.byDefault().execute().body());
    assertEquals(2, backend.requests(0));
  }

  @Test
  void retryAfterLongerThanTheMeshWaitsReturnsThe503Unretried() throws IOException {
    flaky(aResponse().withStatus(503).withHeader("Retry-After", "120"), OK);
    Response<String> response = api.byDefault().execute();
    assertEquals(503, response.code());
    assertEquals(
        "120", response.headers().get("Retry-After"), "the caller sees what the server asked for");
    assertEquals(1, backend.requests(0));
  }
}

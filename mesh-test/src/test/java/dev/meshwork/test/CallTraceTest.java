package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * What the mesh decided is read per call: route and subset, endpoints tried, retries; a failed
 * assertion prints the call's trace; spans and metrics are in memory, timed on virtual time.
 */
@MeshTest
class CallTraceTest {

  private static OkHttpClient canary(TestMesh mesh, FakeService mathoid) {
    RouteTable routes =
        RouteTable.builder()
            .subset("v1", "version", "v1")
            .subset("v2", "version", "v2")
            .route(
                Route.builder("canary")
                    .pathPrefix("/")
                    .split("v1", 90)
                    .split("v2", 10)
                    .override("x-canary", "always", "v2")
                    .build())
            .build();
    return mesh.start(
            b -> b.service("mathoid", s -> s.discovery(mathoid.discovery()).routes(routes)))
        .client();
  }

  @Test
  void aTraceShowsRouteSubsetAttemptsAndRetries(TestMesh mesh) throws Exception {
    FakeService mathoid =
        mesh.fake(
            FakeService.named("mathoid")
                .endpoint("version=v1")
                .endpoint("version=v1")
                .endpoint("version=v2"));
    mathoid.endpoint(3).script(s -> s.first(1).respond(502).then().healthy());
    OkHttpClient client = canary(mesh, mathoid);

    Request pinned =
        new Request.Builder().url("http://mathoid/").header("x-canary", "always").build();
    try (Response response = client.newCall(pinned).execute()) {
      assertEquals(200, response.code(), mesh.lastCall().toString());
    }
    CallTrace call = mesh.lastCall();
    CallAssert.assertCall(call)
        .route("canary")
        .routedTo("v2")
        .tried("mathoid-3", "mathoid-3")
        .retriedBecause("status_502");
    assertEquals("mathoid", call.service());
    assertTrue(call.toString().startsWith("call 0 to mathoid\n  ROUTE"), call.toString());
    assertTrue(call.toString().contains("answered 502 from mathoid-3;"), call.toString());

    AssertionFailedError failed =
        assertThrows(
            AssertionFailedError.class, () -> CallAssert.assertCall(call).tried("mathoid-1"));
    assertTrue(
        failed
            .getMessage()
            .startsWith(
                "call 0 to mathoid: expected tried [mathoid-1] but was [mathoid-3, mathoid-3]\n"
                    + "call 0 to mathoid\n  ROUTE"),
        failed.getMessage());

    Calls.get(client, "http://mathoid/");
    assertEquals(List.of(0L, 1L), mesh.calls().stream().map(CallTrace::number).toList());
  }

  @Test
  void spansAndMetricsAreInMemoryOnVirtualTime(TestMesh mesh) throws Exception {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(1));
    mathoid.endpoint(1).script(s -> s.always().delay(Duration.ofMillis(250)));
    OkHttpClient client =
        mesh.start(b -> b.service("mathoid", s -> s.discovery(mathoid.discovery()))).client();
    Instant sent = mesh.time().now();
    Calls.get(client, "http://mathoid/render");

    SpanData attempt = mesh.spans().get(0);
    assertEquals(SpanKind.CLIENT, attempt.getKind());
    assertEquals(
        Duration.ofMillis(250).toNanos(),
        attempt.getEndEpochNanos() - attempt.getStartEpochNanos(),
        "the span lasts the virtual delay");
    assertEquals(
        sent.getEpochSecond() * 1_000_000_000L + sent.getNano(), attempt.getStartEpochNanos());
    Timer duration = mesh.meters().find(Telemetry.REQUEST_DURATION).timer();
    assertEquals(1, duration.count());
    assertEquals(250, duration.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), 1);
  }

  @Test
  void noCallYetIsSaidPlainly(TestMesh mesh) {
    mesh.fake(FakeService.named("mathoid").endpoints(1));
    mesh.start();
    AssertionError none = assertThrows(AssertionError.class, mesh::lastCall);
    assertEquals("no call has gone through the mesh yet", none.getMessage());
    IllegalStateException twice = assertThrows(IllegalStateException.class, mesh::start);
    assertEquals("the test mesh is started already", twice.getMessage());
  }
}

package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.balancer.LoadBalancers;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/**
 * Each scripted fault does to a real call what it says, and the mesh reacts to it as it would to a
 * real instance: retries, ejections, timeouts, refused connections, a wrong TLS identity.
 */
@MeshTest
class ScriptedFaultsTest {

  /** Two instances, round robin (the first call goes to mathoid-1), outlier detection off. */
  private static OkHttpClient twoInstances(
      TestMesh mesh, FakeService mathoid, Consumer<dev.meshwork.core.ServiceConfig.Builder> more) {
    return mesh.start(
            b ->
                b.service(
                    "mathoid",
                    s -> {
                      s.discovery(mathoid.discovery())
                          .loadBalancer(LoadBalancers.roundRobin())
                          .outlierDetection(OutlierDetection.disabled());
                      more.accept(s);
                    }))
        .client();
  }

  @Test
  void aResetAndAnEmptyReplyAreRetriedOnTheOtherInstance(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoint(1).script(s -> s.first(1).reset().then().next(1).emptyReply());
    OkHttpClient client = twoInstances(mesh, mathoid, s -> {});

    // Round robin: each call starts on mathoid-1, whose answer is retried on mathoid-2.
    assertEquals("mathoid-2", Calls.servedBy(client, "http://mathoid/a"));
    CallAssert.assertCall(mesh.lastCall()).tried("mathoid-1", "mathoid-2").retriedBecause("reset");
    assertEquals("mathoid-2", Calls.servedBy(client, "http://mathoid/b"));
    CallAssert.assertCall(mesh.lastCall())
        .tried("mathoid-1", "mathoid-2")
        .retriedBecause("reset"); // an empty reply is an unexpected end of stream
    assertEquals("mathoid-1", Calls.servedBy(client, "http://mathoid/c"), "the script ended");
    CallAssert.assertCall(mesh.lastCall()).notRetried();
  }

  @Test
  void aRefusalLastsItsVirtualTimeThenTheInstanceListensAgain(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoint(1).script(s -> s.during(Duration.ofSeconds(30)).refuse().then().healthy());
    OkHttpClient client = twoInstances(mesh, mathoid, s -> {});

    assertEquals("mathoid-2", Calls.servedBy(client, "http://mathoid/"));
    CallAssert.assertCall(mesh.lastCall())
        .tried("mathoid-1", "mathoid-2")
        .retriedBecause("connect_failure");
    assertEquals(0, mathoid.endpoint(1).calls(), "a refused connection never reaches it");

    mesh.time().advance(Duration.ofSeconds(30)); // the step's end listens again, no call needed
    assertEquals("mathoid-1", Calls.servedBy(client, "http://mathoid/"));
    assertEquals(1, mathoid.endpoint(1).calls());
  }

  @Test
  void aHoldLongerThanThePerTryTimeoutTimesOutAndIsRetried(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoint(1).script(s -> s.first(1).hold(Duration.ofSeconds(30)));
    OkHttpClient client = twoInstances(mesh, mathoid, s -> s.perTryTimeout(Duration.ofSeconds(1)));

    assertEquals("mathoid-2", Calls.servedBy(client, "http://mathoid/"));
    CallAssert.assertCall(mesh.lastCall())
        .tried("mathoid-1", "mathoid-2")
        .retriedBecause("timeout");
  }

  @Test
  void aSlowBodyArrivesAtItsRateAndAReadTimeoutShorterThanItsGapsFails(TestMesh mesh)
      throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(1));
    mathoid.endpoint(1).script(s -> s.always().slowBody(40, 400)); // 100 ms in all
    OkHttpClient client = twoInstances(mesh, mathoid, s -> s.retries(RetryPolicy.disabled()));

    Request request = new Request.Builder().url("http://mathoid/").build();
    try (Response response = client.newCall(request).execute()) {
      assertEquals(40, response.body().bytes().length);
    }
    mathoid.endpoint(1).script(s -> s.always().slowBody(10, 5)); // a byte every 200 ms
    OkHttpClient impatient = client.newBuilder().readTimeout(Duration.ofMillis(100)).build();
    assertThrows(
        IOException.class,
        () -> {
          try (Response response = impatient.newCall(request).execute()) {
            response.body().bytes();
          }
        });
  }

  @Test
  void aDelayIsLatencyOnVirtualTimeAndNobodyWaits(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2));
    mathoid.endpoint(1).script(s -> s.always().delay(Duration.ofSeconds(2)));
    OkHttpClient client = twoInstances(mesh, mathoid, s -> {});

    for (int i = 0; i < 10; i++) {
      Calls.get(client, "http://mathoid/");
    }
    assertEquals(Duration.ofSeconds(10), mesh.time().elapsed(), "five calls of 2 s each");
    Duration slow = mathoid.endpoint(1).status().latency();
    Duration fast = mathoid.endpoint(2).status().latency();
    assertTrue(
        slow.compareTo(Duration.ofSeconds(1)) > 0 && fast.compareTo(Duration.ofMillis(100)) < 0,
        "the mesh measured the delay: " + slow + " against " + fast);
  }

  @Test
  void aWrongIdentityIsRefusedByTheMeshAndHealsWhenItsTimeIsUp(TestMesh mesh) throws IOException {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(2).tls());
    mathoid
        .endpoint(1)
        .script(s -> s.during(Duration.ofMinutes(1)).wrongIdentity().then().healthy());
    OkHttpClient client =
        mesh.start(
                b ->
                    b.security(mesh.tls("restbase"))
                        .service(
                            "mathoid",
                            s ->
                                s.discovery(mathoid.discovery())
                                    .loadBalancer(LoadBalancers.roundRobin())
                                    .outlierDetection(OutlierDetection.disabled())))
            .client();

    assertEquals("mathoid-2", Calls.servedBy(client, "http://mathoid/"));
    CallAssert.assertCall(mesh.lastCall())
        .tried("mathoid-1", "mathoid-2")
        .retriedBecause("connect_failure");
    assertEquals(0, mathoid.endpoint(1).calls(), "the handshake failed: no call reached it");

    mesh.time().advance(Duration.ofMinutes(1));
    assertEquals("mathoid-1", Calls.servedBy(client, "http://mathoid/"));
    CallAssert.assertCall(mesh.lastCall()).notRetried();
  }
}

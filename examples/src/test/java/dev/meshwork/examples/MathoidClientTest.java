package dev.meshwork.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.okhttp.MeshOkHttp;
import dev.meshwork.test.CallAssert;
import dev.meshwork.test.FakeService;
import dev.meshwork.test.MeshChecklist;
import dev.meshwork.test.MeshTest;
import dev.meshwork.test.TestMesh;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import retrofit2.Response;
import retrofit2.converter.jackson.JacksonConverterFactory;

/**
 * The demo's broken-instance scene as restbase's own test, on mesh-test: its Retrofit client and
 * its mathoid policies against three fake instances over mutual TLS, on virtual time, so the 2 s
 * ejection and the instance's return take no real time (the demo itself shows them in real time).
 */
@MeshTest
class MathoidClientTest {

  private static String rendered(String instance) {
    return "{\"instance\":\"" + instance + "\",\"svg\":\"<svg/>\"}";
  }

  @Test
  void rendersThroughABrokenInstanceWhichIsEjectedAndReturns(TestMesh mesh) throws IOException {
    FakeService fake = mesh.fake(FakeService.named("mathoid").endpoints(3).tls());
    fake.endpoints().forEach(e -> e.script(s -> s.always().respond(200, rendered(e.name()))));
    fake.endpoint(2).script(s -> s.always().respond(503));
    mesh.start(
        b ->
            b.security(mesh.tls("restbase"))
                .service(
                    "mathoid", s -> RestbaseDemo.mathoidPolicies(s.discovery(fake.discovery()))));
    MathoidApi mathoid =
        MeshOkHttp.of(mesh.mesh())
            .create(MathoidApi.class, r -> r.addConverterFactory(JacksonConverterFactory.create()));

    for (int call = 1; call <= 12; call++) {
      Response<MathoidApi.Rendered> response =
          mathoid.render(new MathoidApi.Formula("a^2 + b^2 = c^" + call)).execute();
      assertEquals(200, response.code(), mesh.lastCall().toString());
    }
    assertTrue(fake.endpoint(2).status().ejected(), "3 consecutive 503s eject it");
    CallAssert.assertCall(
            mesh.calls().stream().filter(c -> !c.ejected().isEmpty()).findFirst().orElseThrow())
        .ejected("mathoid-2")
        .retriedBecause("status_503");

    fake.endpoint(2).script(s -> s.always().respond(200, rendered("mathoid-2")));
    mesh.time().advance(Duration.ofSeconds(3)); // the 2 s ejection ends at the next 1 s sweep
    assertFalse(fake.endpoint(2).status().ejected());
    int before = fake.endpoint(2).calls();
    for (int call = 1; call <= 6; call++) {
      assertEquals(200, mathoid.render(new MathoidApi.Formula("E = mc^" + call)).execute().code());
    }
    assertEquals(before + 2, fake.endpoint(2).calls(), "round robin gives it its turns again");
  }

  /**
   * The checklist against the demo's mathoid policies: they survive a failing instance and a
   * deploy, but round robin, chosen to make the demo's spread easy to read, keeps sending a slow
   * instance its share.
   */
  @Test
  void theDemosPoliciesAgainstTheChecklist() {
    MeshChecklist checklist = MeshChecklist.forService("mathoid", RestbaseDemo::mathoidPolicies);
    checklist.oneEndpointFailing();
    checklist.deploy();
    AssertionError slow = assertThrows(AssertionError.class, checklist::slowEndpoint);
    assertTrue(slow.getMessage().contains("round_robin"), slow.getMessage());
  }
}

package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The kit's first promise: one of three instances fails, the caller keeps working, the mesh ejects
 * the instance, and after its ejection time on the virtual clock it is back, in milliseconds.
 */
@MeshTest
class OneFailingInstanceTest {

  @Test
  void callsKeepWorkingTheInstanceIsEjectedAndComesBackOnVirtualTime(TestMesh mesh)
      throws Exception {
    FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
    mathoid.endpoint(2).script(s -> s.always().respond(503));
    OkHttpClient client =
        mesh.start(b -> b.service("mathoid", s -> s.discovery(mathoid.discovery()))).client();

    for (int i = 0; i < 30; i++) {
      assertEquals(200, Calls.get(client, "http://mathoid/render"), mesh.lastCall().toString());
    }
    assertTrue(mathoid.endpoint(2).status().ejected(), mathoid.endpoint(2).status().toString());
    CallTrace ejecting =
        mesh.calls().stream().filter(c -> !c.ejected().isEmpty()).findFirst().orElseThrow();
    CallAssert.assertCall(ejecting).retriedBecause("status_503").ejected("mathoid-2");
    assertEquals("mathoid-2", ejecting.tried().get(0));

    mathoid.endpoint(2).heal();
    int before = mathoid.endpoint(2).calls();
    mesh.time().advance(Duration.ofSeconds(29));
    assertTrue(mathoid.endpoint(2).status().ejected(), "30 s base ejection: still out at 29 s");
    mesh.time().advance(Duration.ofSeconds(11)); // the sweep after 30 s returns it
    assertFalse(mathoid.endpoint(2).status().ejected());
    for (int i = 0; i < 30; i++) {
      Calls.get(client, "http://mathoid/render");
    }
    assertTrue(mathoid.endpoint(2).calls() > before, "it serves calls again");
  }
}

package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.meshwork.test.internal.Step;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Scripts read as sequences; nonsense is refused when the script is built, naming the step. */
class FaultScriptTest {

  private static List<Step> build(Consumer<FaultScript> script, boolean tls) {
    FaultScript written = new FaultScript();
    script.accept(written);
    return written.build("fake service 'mathoid' endpoint mathoid-1", tls);
  }

  private static String refused(Consumer<FaultScript> script, boolean tls) {
    return assertThrows(IllegalArgumentException.class, () -> build(script, tls)).getMessage();
  }

  @Test
  void aScriptIsASequenceOfSteps() {
    List<Step> steps =
        build(
            s ->
                s.first(3)
                    .respond(503)
                    .then()
                    .during(Duration.ofSeconds(30))
                    .delay(Duration.ofMillis(400))
                    .then()
                    .next(2)
                    .reset()
                    .then()
                    .healthy(),
            false);
    assertEquals(4, steps.size());
    assertEquals("first(3).respond(503)", steps.get(0).text());
    assertEquals(3, steps.get(0).calls());
    assertEquals(503, steps.get(0).status());
    assertEquals(Duration.ofSeconds(30).toNanos(), steps.get(1).lengthNanos());
    assertEquals(200, steps.get(1).status(), "a delay alone answers as healthy() does");
    assertEquals(Step.Kind.RESET, steps.get(2).kind());
    assertEquals(true, steps.get(3).endless());
  }

  @Test
  void nonsenseIsRefusedNamingTheStep() {
    assertEquals(
        "step 1 (delay(PT-0.005S)): delay(PT-0.005S) is negative; a delay is zero or more",
        refused(s -> s.delay(Duration.ofMillis(-5)), false));
    assertEquals(
        "step 2 (respond(200).reset()): reset() after respond(200): a reset after the body;"
            + " the endpoint either answers or resets, use reset() alone",
        refused(s -> s.first(1).respond(503).then().respond(200).reset(), false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1 step 1 (first(3).refuse()): refuse() cannot be"
            + " counted in calls (a refused connection never reaches the endpoint); bound it with"
            + " during(...) or let it last",
        refused(s -> s.first(3).refuse(), false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1 step 2 (respond(500)) never starts: step 1"
            + " (respond(503)) has no end; give it a length with first(n) or during(...)",
        refused(s -> s.respond(503).then().respond(500), false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1 step 1 (wrongIdentity()): wrongIdentity()"
            + " needs a service that serves TLS (FakeService.named(...).tls())",
        refused(FaultScript::wrongIdentity, false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1 step 2 (refuse()): refuse() cannot follow"
            + " step 1 (first(2).respond(503)), which ends on a call: the endpoint would change its"
            + " connections in the middle of that call; bound step 1 with during(...)",
        refused(s -> s.first(2).respond(503).then().refuse(), false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1 step 1 (first(2)) says how long but not what"
            + " the endpoint does: add respond(...), healthy(), delay(...), reset(), refuse(), ...",
        refused(s -> s.first(2), false));
    assertEquals(
        "step 1 (first(0)): first(0): a step lasts at least one call",
        refused(s -> s.first(0), false));
    assertEquals(
        "step 1 (respond(42)): respond(42): 42 is not a final HTTP status (200-599)",
        refused(s -> s.respond(42), false));
    assertEquals(
        "step 1 (respond(503).emptyReply()): a step does one thing; end this one with then()"
            + " first",
        refused(s -> s.respond(503).emptyReply(), false));
    assertEquals(
        "step 1 (respond(503).first(2)): first(2) after what the step does: say how long first",
        refused(s -> s.respond(503).first(2), false));
    assertEquals(
        "fake service 'mathoid' endpoint mathoid-1: the script has no step",
        refused(s -> {}, false));
  }

  @Test
  void anEndpointNotInTheServiceIsRefused() {
    try (TestMesh mesh = TestMesh.create(1)) {
      FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
      IllegalArgumentException missing =
          assertThrows(IllegalArgumentException.class, () -> mathoid.endpoint(4));
      assertEquals(
          "fake service 'mathoid' has no endpoint 4: it has 3 (1 to 3)", missing.getMessage());
      IllegalArgumentException nonsense =
          assertThrows(
              IllegalArgumentException.class,
              () -> mathoid.endpoint(1).script(s -> s.hold(Duration.ZERO)));
      assertEquals(
          "fake service 'mathoid' endpoint mathoid-1 step 1 (hold(PT0S)): hold(PT0S): a hold is a"
              + " positive time",
          nonsense.getMessage());
    }
  }
}

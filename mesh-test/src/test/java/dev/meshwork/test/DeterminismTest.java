package dev.meshwork.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.MeshSnapshot.Decision;
import dev.meshwork.core.policy.OutlierDetection;
import dev.meshwork.core.policy.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The same test with the same seed makes the same decisions, run after run: picks, retries and
 * their back-off, refusals, ejections and returns, on virtual time.
 */
class DeterminismTest {
  private static final int RUNS = 100;

  /** One run of a small test; its decisions as text, instances named, times left out. */
  private static List<String> run(long seed) throws Exception {
    try (TestMesh mesh = TestMesh.create(seed)) {
      FakeService mathoid = mesh.fake(FakeService.named("mathoid").endpoints(3));
      mathoid.endpoint(1).script(s -> s.first(6).respond(503).then().healthy());
      mathoid.endpoint(3).script(s -> s.first(2).reset().then().delay(Duration.ofMillis(50)));
      OkHttpClient client =
          mesh.start(
                  b ->
                      b.service(
                          "mathoid",
                          s ->
                              s.discovery(mathoid.discovery())
                                  .retries(RetryPolicy.builder().maxAttempts(3).build())
                                  .outlierDetection(
                                      OutlierDetection.builder().consecutive5xx(3).build())))
              .client();
      List<String> decisions = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        decisions.add("answer " + Calls.servedBy(client, "http://mathoid/"));
      }
      mesh.time().advance(Duration.ofSeconds(40));
      for (int i = 0; i < 4; i++) {
        decisions.add("answer " + Calls.servedBy(client, "http://mathoid/"));
      }
      for (CallTrace call : mesh.calls()) {
        for (Decision decision : call.decisions()) {
          decisions.add(
              call.number() + " " + decision.kind() + " " + call.named(decision.detail()));
        }
      }
      return decisions;
    }
  }

  @Test
  void aHundredRunsWithTheSameSeedMakeTheSameDecisions() throws Exception {
    List<String> first = run(7);
    assertTrue(first.stream().anyMatch(d -> d.contains("RETRY status_503")), first.toString());
    assertTrue(first.stream().anyMatch(d -> d.contains("RETRY reset")), first.toString());
    assertTrue(first.stream().anyMatch(d -> d.contains("EJECTION")), first.toString());
    for (int run = 2; run <= RUNS; run++) {
      assertEquals(first, run(7), "run " + run + " decided otherwise than run 1");
    }
  }
}

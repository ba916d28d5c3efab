package dev.meshwork.examples;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.routing.Route;
import dev.meshwork.core.routing.RouteTable;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import retrofit2.Response;

/**
 * The demo's third scene: a canary. mathoid v2 has been running dark (every call went to v1); the
 * route's split now sends it 10% of the calls, then flips all traffic to v2. Both changes are
 * route-table swaps on the live mesh: no restart, no change to restbase's code.
 */
final class CanaryScene {
  static final int CANARY_CALLS = 200;
  static final int FLIPPED_CALLS = 20;

  /**
   * What the scene saw.
   *
   * @param canary calls per version while v2 took 10%
   * @param flipped calls per version after the flip to v2
   * @param failedCalls calls that did not get a rendering
   */
  record Result(Map<String, Integer> canary, Map<String, Integer> flipped, int failedCalls) {}

  private CanaryScene() {}

  /** The table the demo starts with: both versions declared, every call to v1. */
  static RouteTable stableOnly() {
    return RouteTable.builder()
        .subset("v1", "version", "v1")
        .subset("v2", "version", "v2")
        .route(Route.builder("render").to("v1").build())
        .build();
  }

  static Result run(
      PrintStream out, Mesh mesh, MathoidApi mathoid, Map<String, String> versionOfInstance) {
    out.println();
    out.println("Scene 3: canary. mathoid v2 takes 10% of the calls, then all of them");
    RouteTable canary =
        mesh.routes("mathoid").toBuilder()
            .replaceRoute(Route.builder("render").split("v1", 90).split("v2", 10).build())
            .build();
    mesh.replaceRoutes("mathoid", canary);
    out.println("  routes: " + canary.route("render").orElseThrow());
    int[] failed = {0};
    Map<String, Integer> canaryCalls = calls(out, mathoid, versionOfInstance, CANARY_CALLS, failed);

    RouteTable flipped =
        canary.toBuilder().replaceRoute(Route.builder("render").to("v2").build()).build();
    mesh.replaceRoutes("mathoid", flipped);
    out.println("  routes: " + flipped.route("render").orElseThrow());
    Map<String, Integer> flippedCalls =
        calls(out, mathoid, versionOfInstance, FLIPPED_CALLS, failed);
    out.println("Scene 3: the move to v2 is complete; failed calls: " + failed[0]);
    return new Result(canaryCalls, flippedCalls, failed[0]);
  }

  private static Map<String, Integer> calls(
      PrintStream out,
      MathoidApi mathoid,
      Map<String, String> versionOfInstance,
      int count,
      int[] failed) {
    Map<String, Integer> byVersion = new TreeMap<>();
    for (int i = 1; i <= count; i++) {
      try {
        Response<MathoidApi.Rendered> response =
            mathoid.render(new MathoidApi.Formula("x_" + i)).execute();
        if (response.isSuccessful() && response.body() != null) {
          byVersion.merge(versionOfInstance.get(response.body().instance()), 1, Integer::sum);
          continue;
        }
        out.printf("  call %3d FAILED: mathoid answered %d%n", i, response.code());
      } catch (IOException e) {
        out.printf("  call %3d FAILED: %s%n", i, e.getMessage());
      }
      failed[0]++;
    }
    out.printf("  %d calls:", count);
    byVersion.forEach(
        (version, calls) -> out.printf("  %s %d (%.1f%%)", version, calls, 100.0 * calls / count));
    out.println();
    return byVersion;
  }
}

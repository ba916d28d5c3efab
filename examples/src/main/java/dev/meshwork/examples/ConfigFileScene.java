package dev.meshwork.examples;

import dev.meshwork.config.LiveConfig;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.config.MeshConfigSource;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import retrofit2.Response;

/**
 * The demo's fourth scene: the canary driven by a config file. The mesh watches {@code
 * mathoid.yaml}; editing its split moves v2 from 10% of the calls to 50% and back, each edit
 * applied to the running mesh without a restart. Before each edit the scene prints what will
 * change.
 */
final class ConfigFileScene {
  static final int CALLS = 200;
  static final int[] CANARY_PERCENTS = {10, 50, 10};

  /**
   * What the scene saw.
   *
   * @param v2Calls calls v2 served at each step, out of {@link #CALLS}
   * @param failedCalls calls that did not get a rendering
   */
  record Result(List<Integer> v2Calls, int failedCalls) {}

  private ConfigFileScene() {}

  static Result run(
      PrintStream out,
      Mesh mesh,
      MathoidApi mathoid,
      Map<String, String> versionOfInstance,
      Map<String, String> addressOfInstance)
      throws IOException {
    out.println();
    out.println("Scene 4: the canary from a config file, moved from 10% to 50% and back");
    Path dir = Files.createTempDirectory("meshwork-demo");
    Path file = dir.resolve("mathoid.yaml");
    List<Integer> v2Calls = new ArrayList<>();
    int[] failed = {0};
    LiveConfig live = null;
    try {
      for (int step = 0; step < CANARY_PERCENTS.length; step++) {
        int percent = CANARY_PERCENTS[step];
        String version = "canary-" + percent + "-step" + (step + 1);
        String document = document(version, percent, versionOfInstance, addressOfInstance);
        out.println("  edit " + file + ": v2 weight " + percent + ", v1 weight " + (100 - percent));
        printPlan(out, MeshConfig.of(mesh), MeshConfig.parse(document, file.toString()));
        Path next = Files.createTempFile(dir, ".mathoid", ".tmp");
        Files.writeString(next, document);
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (live == null) {
          live = LiveConfig.watch(mesh, Duration.ofMillis(100), MeshConfigSource.file(file));
        }
        awaitVersion(mesh, version);
        out.println(
            "  applied: "
                + mesh.configStatus().version()
                + ", generation "
                + mesh.configStatus().generation());
        Map<String, Integer> byVersion = calls(out, mathoid, versionOfInstance, failed);
        v2Calls.add(byVersion.getOrDefault("v2", 0));
        out.printf("  %d calls: %s%n", CALLS, byVersion);
      }
    } finally {
      if (live != null) {
        live.close();
      }
    }
    out.println("Scene 4: three edits applied live; failed calls: " + failed[0]);
    return new Result(v2Calls, failed[0]);
  }

  /**
   * The plan of a change, as {@code meshwork config plan} prints it: each setting that differs
   * between the running mesh and the candidate document, defaults included, then the candidate's
   * lint findings.
   */
  static void printPlan(PrintStream out, MeshConfig running, MeshConfig candidate) {
    out.println("  plan:");
    MeshConfig.plan(running, candidate)
        .toString()
        .lines()
        .forEach(line -> out.println("    " + line));
  }

  private static String document(
      String version,
      int v2Percent,
      Map<String, String> versionOfInstance,
      Map<String, String> addressOfInstance) {
    StringBuilder text =
        new StringBuilder(
            "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\nmetadata: {version: "
                + version
                + "}\nservices:\n  mathoid:\n    discovery:\n      static:\n");
    versionOfInstance.forEach(
        (instance, v) ->
            text.append("        - {address: \"")
                .append(addressOfInstance.get(instance))
                .append("\", labels: {version: ")
                .append(v)
                .append("}}\n"));
    text.append("    loadBalancer: {policy: roundRobin}\n")
        .append("    subsets: {v1: {version: v1}, v2: {version: v2}}\n")
        .append("    routes:\n      - name: render\n        split:\n")
        .append("          - {subset: v1, weight: ")
        .append(100 - v2Percent)
        .append("}\n          - {subset: v2, weight: ")
        .append(v2Percent)
        .append("}\n");
    return text.toString();
  }

  /** Waits, checking every millisecond for at most 30 s, until the mesh runs {@code version}. */
  private static void awaitVersion(Mesh mesh, String version) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!mesh.configStatus().version().equals(version)) {
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "the mesh did not apply " + version + " within 30 s: " + mesh.configStatus());
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
    }
  }

  private static Map<String, Integer> calls(
      PrintStream out, MathoidApi mathoid, Map<String, String> versionOfInstance, int[] failed) {
    Map<String, Integer> byVersion = new TreeMap<>();
    for (int i = 1; i <= CALLS; i++) {
      try {
        Response<MathoidApi.Rendered> response =
            mathoid.render(new MathoidApi.Formula("y_" + i)).execute();
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
    return byVersion;
  }
}

package dev.meshwork.benchmarks.load;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The report's account of how the scenarios ran, one paragraph per mode. */
final class ModeText {
  private ModeText() {}

  static List<String> oneJvm() {
    return List.of(
        "Mode: one JVM. Every scenario runs in the harness's own JVM, one after the other, each run"
            + " starting with an empty client pool; raw OkHttp is built by `RawClients` (the mesh's pool"
            + " sizing, no timeouts) and the mesh (`MeshOkHttp.client()`) takes its identity from"
            + " `BuiltInCaSource`. Code the scenarios share is compiled once for all of them.");
  }

  static List<String> perJvm(
      PerJvmRun.Settings settings, ScenarioSetup.Identity identity, Path logs, double tookSeconds) {
    return List.of(
        String.format(
            Locale.ROOT,
            "Mode: per JVM. Each scenario runs in a JVM of its own (`java %s`, the same for every"
                + " scenario), its client built as an application builds it: OkHttp with a %d s call timeout,"
                + " %d s read and write timeouts, HTTP/1.1 only and OkHttp's default connection pool; the mesh"
                + " wraps exactly that client (`MeshOkHttp.wrap`). Certificates are issued by openssl (nginx's"
                + " with DNS and IP SANs, which raw OkHttp verifies as a host name); the mesh's identity comes"
                + " from %s. The cold phase starts a fresh JVM per scenario and round; the startup phase starts"
                + " one long-lived JVM per scenario and loads it for %d s, on which the closed, fixed and"
                + " endpoints phases then run their rounds. Planned about %.0f min; took %.1f min. The JVMs'"
                + " logs: `%s`.",
            String.join(" ", settings.child().jvmOptions(Scenario.S0, "{label}")),
            ScenarioClient.CALL_TIMEOUT.toSeconds(),
            ScenarioClient.READ_WRITE_TIMEOUT.toSeconds(),
            identity == ScenarioSetup.Identity.PEM
                ? "`PemFileSource` over the openssl-issued files"
                : "`BuiltInCaSource` issuing from the openssl root",
            settings.startupSeconds(),
            settings.estimatedSeconds() / 60,
            tookSeconds / 60,
            logs));
  }
}

package dev.meshwork.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options only the per-JVM mode reads (a picocli mixin of {@link LoadHarness}). */
final class PerJvmOptions {
  static final List<String> NAMES =
      List.of("--cold-warmup", "--startup-seconds", "--identity", "--jvm-options", "--jvm-prefix");

  @Option(
      names = "--cold-warmup",
      defaultValue = "5",
      paramLabel = "SECONDS",
      description =
          "Per-JVM mode: warm-up of each fresh JVM in the cold phase (default: ${DEFAULT-VALUE}).")
  double coldWarmup;

  @Option(
      names = "--startup-seconds",
      defaultValue = "60",
      paramLabel = "SECONDS",
      description =
          "Per-JVM mode: load on each long-lived JVM from its start, shown second by second; it warms"
              + " the JVMs of the closed, fixed and endpoints phases (default: ${DEFAULT-VALUE}).")
  int startupSeconds;

  @Option(
      names = "--identity",
      defaultValue = "pem",
      paramLabel = "SOURCE",
      description =
          "Per-JVM mode: the mesh's certificates in S4, pem (PemFileSource over the openssl-issued"
              + " files) or builtin (BuiltInCaSource on the same openssl root) (default: ${DEFAULT-VALUE}).")
  ScenarioSetup.Identity identity;

  @Option(
      names = "--jvm-options",
      paramLabel = "OPTIONS",
      description =
          "Per-JVM mode: JVM options added to every scenario JVM's -Xms512m -Xmx512m, space-separated;"
              + " {scenario} and {label} are replaced, e.g."
              + " '-XX:StartFlightRecording=filename=/tmp/{label}.jfr,settings=profile'.")
  String jvmOptions;

  @Option(
      names = "--jvm-prefix",
      paramLabel = "COMMAND",
      description =
          "Per-JVM mode: a command to run every scenario JVM under, space-separated, with {scenario}"
              + " and {label} replaced, e.g. 'strace -f -c -o /tmp/{label}.strace'.")
  String jvmPrefix;

  ChildOptions childOptions() {
    List<String> options = new ArrayList<>(ChildOptions.DEFAULT_JVM_OPTIONS);
    options.addAll(words(jvmOptions));
    return new ChildOptions(List.copyOf(options), words(jvmPrefix));
  }

  private static List<String> words(String text) {
    return text == null || text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
  }
}

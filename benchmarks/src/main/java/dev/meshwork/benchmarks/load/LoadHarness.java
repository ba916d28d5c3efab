package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load harness's command line: starts nginx and the HAProxy sidecar on loopback, drives the
 * scenarios (raw OkHttp, the mesh, the sidecar) phase by phase, and writes the markdown report.
 * Exit codes: 0 done, 1 the run failed, 2 the command line was wrong (the message names the option,
 * the value and what was expected).
 */
@Command(
    name = "load-harness",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description =
        "Side-by-side load test: raw OkHttp, the mesh and an HAProxy sidecar against nginx.")
public final class LoadHarness implements Callable<Integer> {
  /**
   * The default fixed rate as a share of the slowest closed-loop throughput. Not a half: a closed
   * loop batches work across busy callers, while at a fixed rate each call wakes a parked caller
   * and costs about twice the CPU, so half the closed-loop rate keeps the sidecar scenario's two
   * cores nearly saturated (measured: its median went from 0.4 to 2 ms) and every p99 becomes
   * queueing. A quarter leaves each scenario headroom, which is what a latency comparison needs.
   */
  static final double AUTO_RATE_FRACTION = 0.25;

  @Spec CommandSpec spec;

  @Option(
      names = "--rounds",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Rounds; each runs every scenario of a phase once, in turn (default: ${DEFAULT-VALUE}).")
  int rounds;

  @Option(
      names = "--duration",
      defaultValue = "8",
      paramLabel = "SECONDS",
      description = "Measured seconds per scenario per round (default: ${DEFAULT-VALUE}).")
  double duration;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      paramLabel = "SECONDS",
      description = "Unmeasured seconds before each measurement (default: ${DEFAULT-VALUE}).")
  double warmup;

  @Option(
      names = "--concurrency",
      defaultValue = "16",
      paramLabel = "N",
      description =
          "Callers in the closed and endpoints phases; the sweep uses --sweep-callers (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--rate",
      paramLabel = "CALLS_PER_SECOND",
      description =
          "Rate of the fixed-rate phase (default: a quarter of the slowest scenario's closed-loop throughput).")
  Double rate;

  @Option(
      names = "--rate-callers",
      defaultValue = "64",
      paramLabel = "N",
      description =
          "Callers available to the fixed-rate phase; a call waits when all are busy (default: ${DEFAULT-VALUE}).")
  int rateCallers;

  @Option(
      names = "--phases",
      split = ",",
      paramLabel = "PHASE",
      description =
          "Phases to run, in order: closed, fixed, endpoints, sweep (default: closed,fixed,endpoints).")
  List<Phase> phases = List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS);

  @Option(
      names = "--sweep-callers",
      split = ",",
      paramLabel = "N",
      description = "Caller counts of the 'sweep' phase, run in this order (default: 2,4,8,16,32).")
  List<Integer> sweepCallers = List.of(2, 4, 8, 16, 32);

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "SCENARIO",
      description =
          "Scenarios to run in every phase, e.g. S0,S1 to profile the plain mesh (default: all).")
  List<Scenario> scenarios = List.of(Scenario.values());

  @Option(
      names = "--endpoints",
      defaultValue = "8",
      paramLabel = "N",
      description = "nginx endpoints (ports) of the 'endpoints' phase (default: ${DEFAULT-VALUE}).")
  int endpoints;

  @Option(
      names = "--nginx-workers",
      defaultValue = "1",
      paramLabel = "N",
      description = "nginx worker processes (default: ${DEFAULT-VALUE}).")
  int nginxWorkers;

  @Option(
      names = "--nginx",
      paramLabel = "PATH",
      description = "The nginx binary (default: found in /usr/sbin, /usr/bin, /usr/local/sbin).")
  Path nginx;

  @Option(
      names = "--haproxy",
      paramLabel = "PATH",
      description = "The haproxy binary (default: found as nginx is).")
  Path haproxy;

  @Option(
      names = "--output",
      defaultValue = "load-report.md",
      paramLabel = "FILE",
      description = "Where to write the markdown report (default: ${DEFAULT-VALUE}).")
  Path output;

  /** Runs the harness and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the harness with {@code args}; returns the exit code. */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The harness's command line, failures reported as one line and a trace (exit 1). */
  static CommandLine commandLine() {
    CommandLine commandLine =
        new CommandLine(new LoadHarness())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setOverwrittenOptionsAllowed(
                true); // the last --output wins over run-load.sh's default
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          err.println("load-harness: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          e.printStackTrace(err);
          return 1;
        });
    return commandLine;
  }

  @Override
  public Integer call() throws Exception {
    HarnessRun.Settings settings = validate();
    String nginxBinary = binary("--nginx", nginx, NginxBackend.BINARIES, "nginx", "nginx-light");
    String haproxyBinary =
        binary("--haproxy", haproxy, HaproxySidecar.BINARIES, "haproxy", "haproxy");
    Path dir =
        Files.createTempDirectory(
            "meshwork-load-",
            PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))); // holds private keys
    Environment environment = Environment.capture(nginxBinary, haproxyBinary);
    HarnessRun.Results results;
    try (Testbed testbed = new Testbed(dir, nginxBinary, haproxyBinary, endpoints, nginxWorkers)) {
      results = HarnessRun.run(settings, testbed, System.err);
    } finally {
      deleteRecursively(dir);
    }
    String report =
        Report.markdown(
            results,
            environment.preamble(
                LocalDate.now(),
                settings,
                endpoints,
                String.join(" ", spec.commandLine().getParseResult().originalArgs())));
    Path parent = output.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(output, report);
    spec.commandLine().getOut().print(report);
    spec.commandLine().getOut().println("\nReport written to " + output.toAbsolutePath());
    return 0;
  }

  private HarnessRun.Settings validate() {
    requireRange("--rounds", rounds, 1, 100, "a whole number from 1 to 100");
    requireRange("--duration", duration, 0.1, 3_600, "seconds from 0.1 to 3600");
    requireRange("--warmup", warmup, 0, 3_600, "seconds from 0 to 3600");
    requireRange("--concurrency", concurrency, 1, 1_024, "a whole number from 1 to 1024");
    requireRange("--rate-callers", rateCallers, 1, 1_024, "a whole number from 1 to 1024");
    requireRange("--endpoints", endpoints, 1, 64, "a whole number from 1 to 64");
    requireRange("--nginx-workers", nginxWorkers, 1, 64, "a whole number from 1 to 64");
    if (rate != null) {
      requireRange("--rate", rate, 1, 1_000_000, "calls per second from 1 to 1000000");
    }
    if (phases.isEmpty() || EnumSet.copyOf(phases).size() != phases.size()) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--phases': '"
              + phases
              + "'; expected one or more of closed, fixed, endpoints, sweep, each once");
    }
    if (phases.contains(Phase.FIXED)
        && rate == null
        && (!phases.contains(Phase.CLOSED)
            || phases.indexOf(Phase.CLOSED) > phases.indexOf(Phase.FIXED))) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--phases': '"
              + phases
              + "'; the fixed phase takes its rate from the closed phase, so expected closed before fixed, or --rate");
    }
    if (scenarios.isEmpty() || EnumSet.copyOf(scenarios).size() != scenarios.size()) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--scenarios': '"
              + scenarios
              + "'; expected one or more of S0, S1, S2, S3, S4, each once");
    }
    if (sweepCallers.isEmpty()
        || new HashSet<>(sweepCallers).size() != sweepCallers.size()
        || sweepCallers.stream().anyMatch(callers -> callers < 1 || callers > 1_024)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--sweep-callers': '"
              + sweepCallers
              + "'; expected one or more whole numbers from 1 to 1024, each once");
    }
    if (!phases.contains(Phase.SWEEP)
        && spec.commandLine().getParseResult().hasMatchedOption("--sweep-callers")) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--sweep-callers': '"
              + sweepCallers
              + "'; only the sweep phase uses it, so expected --phases to include sweep");
    }
    return new HarnessRun.Settings(
        rounds,
        warmup,
        duration,
        concurrency,
        rate == null ? 0 : rate,
        AUTO_RATE_FRACTION,
        rateCallers,
        new LinkedHashSet<>(phases),
        EnumSet.copyOf(scenarios),
        List.copyOf(sweepCallers));
  }

  private void requireRange(String option, double value, double min, double max, String expected) {
    if (!(value >= min && value <= max)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '"
              + option
              + "': '"
              + (value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value))
              + "'; expected "
              + expected);
    }
  }

  private String binary(
      String option, Path given, List<String> candidates, String name, String debianPackage) {
    if (given != null) {
      if (!Files.isExecutable(given)) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '"
                + option
                + "': '"
                + given
                + "' is not an executable file; expected the path of the "
                + name
                + " binary");
      }
      return given.toString();
    }
    Optional<String> found = ServerProcess.findBinary(candidates);
    return found.orElseThrow(
        () ->
            new IllegalStateException(
                name
                    + " is not installed (looked for "
                    + candidates
                    + "); install the Debian package "
                    + debianPackage
                    + " (benchmarks/run-load.sh does when run as root)"
                    + " or pass "
                    + option
                    + " PATH"));
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}

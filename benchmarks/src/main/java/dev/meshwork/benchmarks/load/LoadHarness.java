package dev.meshwork.benchmarks.load;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The load harness's command line: starts nginx and the HAProxy sidecar on loopback, drives the
 * scenarios (raw OkHttp, the mesh, the sidecar) phase by phase, and writes the markdown report. Two
 * modes: per JVM (the default; each scenario in a JVM of its own with its client built as an
 * application builds it, see {@link PerJvmRun}) and one JVM (every scenario in the harness's own
 * JVM, see {@link HarnessRun}). Exit codes: 0 done, 1 the run failed, 2 the command line was wrong
 * (the message names the option, the value and what was expected).
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

  /** Where the scenarios run. */
  enum Mode {
    /** Each scenario in a JVM of its own, as each application runs. */
    PER_JVM,
    /** Every scenario in the harness's own JVM, one after the other. */
    ONE_JVM
  }

  @Spec CommandSpec spec;

  @Option(
      names = "--mode",
      defaultValue = "per-jvm",
      paramLabel = "MODE",
      converter = ModeConverter.class,
      description =
          "per-jvm: each scenario in its own JVM; one-jvm: every scenario in the harness's JVM"
              + " (default: ${DEFAULT-VALUE}).")
  Mode mode;

  @Option(
      names = "--rounds",
      paramLabel = "N",
      description =
          "Rounds; each runs every scenario of a phase once, in turn (default: 10 per JVM, 3 one JVM).")
  Integer rounds;

  @Option(
      names = "--duration",
      paramLabel = "SECONDS",
      description = "Measured seconds per scenario per round (default: 5 per JVM, 8 one JVM).")
  Double duration;

  @Option(
      names = "--warmup",
      paramLabel = "SECONDS",
      description =
          "Unmeasured seconds before each measurement; per JVM, before each round on a long-lived"
              + " JVM (default: 1 per JVM, 2 one JVM).")
  Double warmup;

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
          "Phases to run, in order. Per JVM: startup, cold, closed, fixed, endpoints (default:"
              + " startup,cold,closed,fixed); one JVM: closed, fixed, endpoints, sweep (default:"
              + " closed,fixed,endpoints).")
  List<Phase> phases;

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
          "Scenarios to run in every phase, e.g. S0,S1 to profile the plain mesh; S5 to S7 are the"
              + " HTTP/2 ones (default: S0,S1,S2,S3,S4).")
  List<Scenario> scenarios = Scenario.DEFAULTS;

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

  @Mixin PerJvmOptions perJvm = new PerJvmOptions();

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

  /** Reads {@code per-jvm} and {@code one-jvm}, as written in the help. */
  static final class ModeConverter implements ITypeConverter<Mode> {
    @Override
    public Mode convert(String value) {
      for (Mode mode : Mode.values()) {
        if (mode.name().replace('_', '-').equalsIgnoreCase(value)) {
          return mode;
        }
      }
      throw new CommandLine.TypeConversionException("'" + value + "'; expected per-jvm or one-jvm");
    }
  }

  @Override
  public Integer call() throws Exception {
    HarnessRun.Settings settings = validate();
    String nginxBinary =
        RunFiles.binary(spec, "--nginx", nginx, NginxBackend.BINARIES, "nginx", "nginx-light");
    String haproxyBinary =
        RunFiles.binary(spec, "--haproxy", haproxy, HaproxySidecar.BINARIES, "haproxy", "haproxy");
    Path dir =
        Files.createTempDirectory(
            "meshwork-load-",
            PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------"))); // holds private keys
    Environment environment = Environment.capture(nginxBinary, haproxyBinary);
    HarnessRun.Results results;
    List<String> modeLines;
    long started = System.nanoTime();
    try {
      if (mode == Mode.ONE_JVM) {
        try (Testbed testbed =
            new Testbed(dir, nginxBinary, haproxyBinary, endpoints, nginxWorkers)) {
          results = HarnessRun.run(settings, testbed, System.err);
        }
        modeLines = ModeText.oneJvm();
      } else {
        PerJvmRun.Settings perJvmSettings =
            new PerJvmRun.Settings(
                settings, perJvm.coldWarmup, perJvm.startupSeconds, perJvm.childOptions());
        System.err.printf(
            Locale.ROOT,
            "per-JVM run: about %.0f minutes%n",
            perJvmSettings.estimatedSeconds() / 60);
        Path logs = RunFiles.jvmLogDirectory(output);
        try (PerJvmTestbed testbed =
            new PerJvmTestbed(
                dir, nginxBinary, haproxyBinary, endpoints, nginxWorkers, perJvm.identity)) {
          results = PerJvmRun.run(perJvmSettings, testbed.setupFile, logs, System.err);
        }
        modeLines =
            ModeText.perJvm(
                perJvmSettings, perJvm.identity, logs, (System.nanoTime() - started) / 1e9);
      }
    } finally {
      RunFiles.deleteRecursively(dir);
    }
    List<String> preamble =
        new ArrayList<>(
            environment.preamble(
                LocalDate.now(),
                settings,
                endpoints,
                String.join(" ", spec.commandLine().getParseResult().originalArgs())));
    preamble.add("");
    preamble.addAll(modeLines);
    String report = Report.markdown(results, preamble);
    Path parent = output.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(output, report);
    spec.commandLine().getOut().print(report);
    spec.commandLine().getOut().println("\nReport written to " + output.toAbsolutePath());
    return 0;
  }

  private HarnessRun.Settings validate() {
    boolean perJvmMode = mode == Mode.PER_JVM;
    int roundCount = rounds != null ? rounds : perJvmMode ? 10 : 3;
    double seconds = duration != null ? duration : perJvmMode ? 5 : 8;
    double warmupSeconds = warmup != null ? warmup : perJvmMode ? 1 : 2;
    List<Phase> phaseList =
        phases != null
            ? phases
            : perJvmMode
                ? List.of(Phase.STARTUP, Phase.COLD, Phase.CLOSED, Phase.FIXED)
                : List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS);
    requireRange("--rounds", roundCount, 1, 100, "a whole number from 1 to 100");
    requireRange("--duration", seconds, 0.1, 3_600, "seconds from 0.1 to 3600");
    requireRange("--warmup", warmupSeconds, 0, 3_600, "seconds from 0 to 3600");
    requireRange("--concurrency", concurrency, 1, 1_024, "a whole number from 1 to 1024");
    requireRange("--rate-callers", rateCallers, 1, 1_024, "a whole number from 1 to 1024");
    requireRange("--endpoints", endpoints, 1, 64, "a whole number from 1 to 64");
    requireRange("--nginx-workers", nginxWorkers, 1, 64, "a whole number from 1 to 64");
    requireRange("--cold-warmup", perJvm.coldWarmup, 0, 600, "seconds from 0 to 600");
    requireRange(
        "--startup-seconds", perJvm.startupSeconds, 2, 600, "a whole number from 2 to 600");
    if (rate != null) {
      requireRange("--rate", rate, 1, 1_000_000, "calls per second from 1 to 1000000");
    }
    List<Phase> allowed =
        perJvmMode
            ? List.of(Phase.STARTUP, Phase.COLD, Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS)
            : List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS, Phase.SWEEP);
    if (phaseList.isEmpty()
        || EnumSet.copyOf(phaseList).size() != phaseList.size()
        || !allowed.containsAll(phaseList)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--phases': '"
              + phaseList
              + "'; expected one or more of "
              + String.join(
                  ", ", allowed.stream().map(p -> p.name().toLowerCase(Locale.ROOT)).toList())
              + ", each once ("
              + (perJvmMode ? "per-JVM" : "one-JVM")
              + " mode)");
    }
    int fixedAt = phaseList.indexOf(Phase.FIXED);
    if (fixedAt >= 0
        && rate == null
        && phaseList.subList(0, fixedAt).stream()
            .noneMatch(p -> p == Phase.CLOSED || p == Phase.COLD)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--phases': '"
              + phaseList
              + "'; the fixed phase takes its rate from a closed-loop phase, so expected closed"
              + (perJvmMode ? " or cold" : "")
              + " before fixed, or --rate");
    }
    if (!perJvmMode) {
      for (String option : PerJvmOptions.NAMES) {
        if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
          throw new ParameterException(
              spec.commandLine(),
              "Invalid value for option '"
                  + option
                  + "': only the per-JVM mode uses it, so expected --mode per-jvm");
        }
      }
    }
    if (scenarios.isEmpty() || EnumSet.copyOf(scenarios).size() != scenarios.size()) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--scenarios': '"
              + scenarios
              + "'; expected one or more of S0 to S7, each once");
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
    if (!phaseList.contains(Phase.SWEEP)
        && spec.commandLine().getParseResult().hasMatchedOption("--sweep-callers")) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--sweep-callers': '"
              + sweepCallers
              + "'; only the sweep phase uses it, so expected --phases to include sweep");
    }
    return new HarnessRun.Settings(
        roundCount,
        warmupSeconds,
        seconds,
        concurrency,
        rate == null ? 0 : rate,
        AUTO_RATE_FRACTION,
        rateCallers,
        new LinkedHashSet<>(phaseList),
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
}

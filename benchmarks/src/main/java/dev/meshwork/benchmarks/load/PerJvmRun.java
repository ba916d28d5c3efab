package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the phases of a per-JVM run, where every scenario runs in a JVM of its own, as each
 * application does, with the same JVM options. Two kinds of JVM:
 *
 * <ul>
 *   <li>fresh: the cold phase starts a new JVM for every scenario and round, warms it for {@code
 *       coldWarmupSeconds} and measures, then stops it: what an application sees soon after it
 *       starts;
 *   <li>long-lived: one JVM per scenario, started by the startup phase (or, without it, before the
 *       first phase that needs it) and loaded from its start for {@code startupSeconds}, which both
 *       gives the per-second view of its first minute and warms it; the closed, fixed and endpoints
 *       phases then run their rounds on these JVMs, each round after {@code warmupSeconds}. Between
 *       its runs a JVM idles while the others run.
 * </ul>
 *
 * Rounds interleave scenarios as the one-JVM mode does (S0 S1 S2 S3 S4 S0 ...).
 */
final class PerJvmRun {
  /** Seconds to allow for each JVM's start when estimating a run's length. */
  static final double JVM_START_SECONDS = 2;

  /**
   * What to run: the common settings, the cold phase's warm-up, the length of each long-lived JVM's
   * first load, and how to start the JVMs.
   */
  record Settings(
      HarnessRun.Settings common,
      double coldWarmupSeconds,
      int startupSeconds,
      ChildOptions child) {

    /** About how long the run takes: load time plus {@link #JVM_START_SECONDS} per JVM. */
    double estimatedSeconds() {
      int scenarios = common.scenarios().size();
      double seconds = 0;
      boolean longLived = false;
      for (Phase phase : common.phases()) {
        if (phase == Phase.COLD) {
          seconds +=
              common.rounds()
                  * scenarios
                  * (JVM_START_SECONDS + coldWarmupSeconds + common.durationSeconds());
        } else if (phase != Phase.STARTUP) {
          seconds +=
              common.rounds() * scenarios * (common.warmupSeconds() + common.durationSeconds());
        }
        longLived |= phase != Phase.COLD;
      }
      return longLived ? seconds + scenarios * (JVM_START_SECONDS + startupSeconds) : seconds;
    }
  }

  private PerJvmRun() {}

  static HarnessRun.Results run(Settings settings, Path setup, Path logDir, PrintStream log)
      throws IOException, InterruptedException {
    HarnessRun.Settings common = settings.common();
    // In the order run, which the report follows.
    Map<Phase, Map<Scenario, List<LoadResult>>> results = new LinkedHashMap<>();
    Map<Phase, String> notes = new EnumMap<>(Phase.class);
    Map<Scenario, ChildJvm> longLived = new EnumMap<>(Scenario.class);
    double rate = common.rate();
    try {
      for (Phase phase : common.phases()) {
        switch (phase) {
          case STARTUP -> {
            results.put(phase, startLongLived(settings, setup, logDir, log, longLived));
            notes.put(
                phase,
                String.format(
                    Locale.ROOT,
                    " (each scenario's own JVM, measured from %d to %d s after its load began)",
                    settings.startupSeconds() / 2,
                    settings.startupSeconds()));
          }
          case COLD -> {
            results.put(phase, cold(settings, setup, logDir, log));
            notes.put(
                phase, " (" + seconds(settings.coldWarmupSeconds()) + " warm-up in each JVM)");
          }
          case CLOSED, FIXED, ENDPOINTS -> {
            startLongLived(settings, setup, logDir, log, longLived);
            if (phase.fixedRate && rate == 0) {
              rate = HarnessRun.autoRate(common, results, log);
            }
            LoadDriver.Plan plan =
                new LoadDriver.Plan(
                    phase.fixedRate ? common.rateCallers() : common.concurrency(),
                    phase.fixedRate ? rate : 0,
                    common.warmupSeconds(),
                    common.durationSeconds());
            results.put(phase, rounds(common, phase, plan, longLived, log));
            notes.put(
                phase,
                String.format(
                    Locale.ROOT,
                    ", each scenario's own JVM after its %d s startup load",
                    settings.startupSeconds()));
          }
          case SWEEP ->
              throw new IllegalArgumentException(
                  "the sweep runs only in the one-JVM mode (--mode one-jvm)");
        }
      }
    } finally {
      longLived.values().forEach(ChildJvm::close);
    }
    return new HarnessRun.Results(
        results, common.phases().contains(Phase.FIXED) ? rate : 0, Map.of(), notes);
  }

  /**
   * Starts the long-lived JVM of every scenario that has none, each loaded from its start for
   * {@code startupSeconds} (measured over the second half), one after the other.
   */
  private static Map<Scenario, List<LoadResult>> startLongLived(
      Settings settings,
      Path setup,
      Path logDir,
      PrintStream log,
      Map<Scenario, ChildJvm> longLived)
      throws IOException, InterruptedException {
    HarnessRun.Settings common = settings.common();
    Map<Scenario, List<LoadResult>> byScenario = new EnumMap<>(Scenario.class);
    double half = settings.startupSeconds() / 2.0;
    LoadDriver.Plan plan = new LoadDriver.Plan(common.concurrency(), 0, half, half);
    for (Scenario scenario : common.scenarios()) {
      if (longLived.containsKey(scenario)) {
        continue;
      }
      ChildJvm child =
          ChildJvm.start(scenario, setup, settings.child(), logDir, "startup-" + scenario);
      longLived.put(scenario, child);
      // The timeline runs on past the load's end (the JVM starts before its load) to show it whole.
      LoadResult result =
          child.run(plan, false, settings.startupSeconds() + (int) JVM_START_SECONDS + 3);
      byScenario.put(scenario, List.of(result));
      print(log, Phase.STARTUP, 1, 1, scenario, result);
    }
    return byScenario;
  }

  private static Map<Scenario, List<LoadResult>> cold(
      Settings settings, Path setup, Path logDir, PrintStream log)
      throws IOException, InterruptedException {
    HarnessRun.Settings common = settings.common();
    LoadDriver.Plan plan =
        new LoadDriver.Plan(
            common.concurrency(), 0, settings.coldWarmupSeconds(), common.durationSeconds());
    // The JVM starts about a second before its load: a couple of seconds more cover the load.
    int timeline = (int) Math.ceil(plan.warmupSeconds() + plan.durationSeconds()) + 2;
    Map<Scenario, List<LoadResult>> byScenario = new EnumMap<>(Scenario.class);
    for (int round = 1; round <= common.rounds(); round++) {
      for (Scenario scenario : common.scenarios()) {
        LoadResult result;
        try (ChildJvm child =
            ChildJvm.start(
                scenario, setup, settings.child(), logDir, "cold-" + round + "-" + scenario)) {
          result = child.run(plan, false, timeline);
        }
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(result);
        print(log, Phase.COLD, round, common.rounds(), scenario, result);
      }
    }
    return byScenario;
  }

  private static Map<Scenario, List<LoadResult>> rounds(
      HarnessRun.Settings common,
      Phase phase,
      LoadDriver.Plan plan,
      Map<Scenario, ChildJvm> longLived,
      PrintStream log)
      throws IOException, InterruptedException {
    Map<Scenario, List<LoadResult>> byScenario = new EnumMap<>(Scenario.class);
    for (int round = 1; round <= common.rounds(); round++) {
      for (Scenario scenario : common.scenarios()) {
        LoadResult result = longLived.get(scenario).run(plan, phase.allEndpoints, 0);
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(result);
        print(log, phase, round, common.rounds(), scenario, result);
      }
    }
    return byScenario;
  }

  /** {@code 5 s}, {@code 0.5 s}. */
  private static String seconds(double seconds) {
    return (seconds == Math.rint(seconds)
            ? Long.toString((long) seconds)
            : String.format(Locale.ROOT, "%.1f", seconds))
        + " s";
  }

  private static void print(
      PrintStream log, Phase phase, int round, int rounds, Scenario scenario, LoadResult result) {
    log.printf(
        "%-46s round %d/%d %s: %,10.0f calls/s  p50 %,8.0f µs  p99 %,8.0f µs  %,7.0f B/call"
            + "  errors %d%s%n",
        phase.title,
        round,
        rounds,
        scenario,
        result.throughput(),
        result.latencyMicros(50),
        result.latencyMicros(99),
        result.allocatedPerCall(),
        result.errors(),
        result.firstError() == null ? "" : " (" + result.firstError() + ")");
  }
}

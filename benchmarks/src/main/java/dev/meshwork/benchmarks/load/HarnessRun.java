package dev.meshwork.benchmarks.load;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs the phases of a harness run, each for several rounds, and in each round every scenario once,
 * in turn (S0 S1 S2 S3 S4 S0 S1 ...): a slow minute on a shared machine then hurts every scenario a
 * little rather than one a lot, and the spread across rounds shows how much.
 */
final class HarnessRun {
  /**
   * What to run. {@code rate} 0 means: {@code autoRateFraction} of the slowest scenario's median
   * closed-loop throughput, so every scenario can sustain it.
   */
  record Settings(
      int rounds,
      double warmupSeconds,
      double durationSeconds,
      int concurrency,
      double rate,
      double autoRateFraction,
      int rateCallers,
      Set<Phase> phases,
      Set<Scenario> scenarios,
      List<Integer> sweepCallers) {}

  /**
   * Results by phase and scenario, one per round, and the fixed rate used (0 if none ran); the
   * sweep's by caller count, in the order run (empty if it did not run); and what to add to a
   * phase's heading (how its JVMs were warmed, in the per-JVM mode).
   */
  record Results(
      Map<Phase, Map<Scenario, List<LoadResult>>> byPhase,
      double fixedRate,
      Map<Integer, Map<Scenario, List<LoadResult>>> sweep,
      Map<Phase, String> notes) {

    /** Results without a sweep. */
    Results(Map<Phase, Map<Scenario, List<LoadResult>>> byPhase, double fixedRate) {
      this(byPhase, fixedRate, Map.of());
    }

    /** Results without notes. */
    Results(
        Map<Phase, Map<Scenario, List<LoadResult>>> byPhase,
        double fixedRate,
        Map<Integer, Map<Scenario, List<LoadResult>>> sweep) {
      this(byPhase, fixedRate, sweep, Map.of());
    }
  }

  private HarnessRun() {}

  static Results run(Settings settings, Testbed testbed, PrintStream log)
      throws InterruptedException {
    Map<Phase, Map<Scenario, List<LoadResult>>> results = new EnumMap<>(Phase.class);
    Map<Integer, Map<Scenario, List<LoadResult>>> sweep = new LinkedHashMap<>();
    double rate = settings.rate();
    for (Phase phase : settings.phases()) {
      if (phase == Phase.SWEEP) {
        for (LoadDriver.Plan plan : sweepPlans(settings)) {
          sweep.put(
              plan.concurrency(),
              rounds(settings, testbed, log, phase, plan, " " + plan.concurrency() + " callers"));
        }
        continue;
      }
      if (phase.fixedRate && rate == 0) {
        rate = autoRate(settings, results, log);
      }
      LoadDriver.Plan plan =
          new LoadDriver.Plan(
              phase.fixedRate ? settings.rateCallers() : settings.concurrency(),
              phase.fixedRate ? rate : 0,
              settings.warmupSeconds(),
              settings.durationSeconds());
      results.put(phase, rounds(settings, testbed, log, phase, plan, ""));
    }
    return new Results(results, settings.phases().contains(Phase.FIXED) ? rate : 0, sweep);
  }

  /** The sweep's closed loops, one per caller count of {@code settings}, in its order. */
  static List<LoadDriver.Plan> sweepPlans(Settings settings) {
    return settings.sweepCallers().stream()
        .map(
            callers ->
                new LoadDriver.Plan(
                    callers, 0, settings.warmupSeconds(), settings.durationSeconds()))
        .toList();
  }

  /**
   * Every round of one phase (or one caller count of the sweep): each scenario once per round, in
   * turn.
   */
  private static Map<Scenario, List<LoadResult>> rounds(
      Settings settings,
      Testbed testbed,
      PrintStream log,
      Phase phase,
      LoadDriver.Plan plan,
      String label)
      throws InterruptedException {
    Map<Scenario, List<LoadResult>> byScenario = new EnumMap<>(Scenario.class);
    for (int round = 1; round <= settings.rounds(); round++) {
      for (Scenario scenario : settings.scenarios()) {
        testbed.evictIdleConnections(); // every run starts with an empty client pool
        LoadResult result =
            LoadDriver.run(
                testbed.call(scenario, phase.allEndpoints),
                plan,
                testbed.cpuMeter(scenario),
                LoadDriver.Timeline.NONE,
                testbed::backendAccepts);
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).add(result);
        log.printf(
            "%-26s round %d/%d %s: %,10.0f calls/s  p50 %,8.0f µs  p99 %,8.0f µs  errors %d%s%n",
            phase.title + label,
            round,
            settings.rounds(),
            scenario,
            result.throughput(),
            result.latencyMicros(50),
            result.latencyMicros(99),
            result.errors(),
            result.firstError() == null ? "" : " (" + result.firstError() + ")");
      }
    }
    return byScenario;
  }

  /**
   * The fixed rate derived from the closed-loop phase (or, in the per-JVM mode without it, the cold
   * phase), which must have run first.
   */
  static double autoRate(
      Settings settings, Map<Phase, Map<Scenario, List<LoadResult>>> results, PrintStream log) {
    Map<Scenario, List<LoadResult>> closed =
        results.getOrDefault(Phase.CLOSED, results.get(Phase.COLD));
    if (closed == null) {
      throw new IllegalArgumentException(
          "the fixed-rate phase needs --rate when no closed-loop phase runs before it");
    }
    double slowest =
        closed.values().stream()
            .mapToDouble(
                runs -> Stats.median(runs.stream().mapToDouble(LoadResult::throughput).toArray()))
            .min()
            .orElseThrow();
    double rate = Math.max(1, Math.floor(slowest * settings.autoRateFraction()));
    log.printf(
        "fixed rate: %.0f calls/s (%.0f%% of the slowest scenario's median closed-loop throughput)%n",
        rate, settings.autoRateFraction() * 100);
    return rate;
  }
}

package dev.meshwork.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How soon each scenario's JVM reaches its steady rate, as markdown: the startup phase's calls per
 * second for each second after the JVM started, mesh beside raw OkHttp; and, on the cold phase's
 * paired rounds, when each scenario became steady and how much later the mesh did than raw OkHttp,
 * against the target (at most {@value #TARGET_LAG_SECONDS} s later).
 *
 * <p>A run is steady from the first second after which no second falls below {@value #STEADY_SHARE}
 * of the scenario's steady level: the median throughput of its warm closed-loop rounds, or, without
 * those, of the second half of its startup run. The JVM's last, partial second of load is left out.
 */
final class StartupReport {
  static final double STEADY_SHARE = 0.9;
  static final double TARGET_LAG_SECONDS = 2;

  /** The mesh and the raw OkHttp it is compared with, for steady state. */
  private static final List<Scenario[]> PAIRS =
      List.of(
          new Scenario[] {Scenario.S1, Scenario.S0},
          new Scenario[] {Scenario.S4, Scenario.S2},
          new Scenario[] {Scenario.S4, Scenario.S3},
          new Scenario[] {Scenario.S7, Scenario.S5},
          new Scenario[] {Scenario.S7, Scenario.S6});

  private StartupReport() {}

  /** Appends the section; nothing when neither the startup nor the cold phase ran. */
  static void append(StringBuilder out, HarnessRun.Results results) {
    Map<Scenario, List<LoadResult>> startup = results.byPhase().get(Phase.STARTUP);
    Map<Scenario, List<LoadResult>> cold = results.byPhase().get(Phase.COLD);
    if (startup == null && cold == null) {
      return;
    }
    out.append("### Time to steady state\n\n");
    if (startup != null) {
      perSecondTable(out, results, startup);
    }
    if (cold != null) {
      coldRounds(out, results, cold);
    }
    out.append(
        String.format(
            Locale.ROOT,
            "\nSteady: from the first second after which no second of the run falls below %.0f%% of the"
                + " scenario's steady level (the median of its warm closed-loop rounds, or else of the second half of"
                + " its startup run, or else of its cold rounds); the run's last, partial second is left out. \"never\": not within the run."
                + " Seconds count from the JVM's start, its own start-up included.%n",
            STEADY_SHARE * 100));
  }

  private static void perSecondTable(
      StringBuilder out, HarnessRun.Results results, Map<Scenario, List<LoadResult>> startup) {
    List<Scenario> scenarios = List.copyOf(startup.keySet());
    List<Scenario[]> pairs = pairs(scenarios);
    out.append(
        "Calls per second in each second after the JVM started (startup phase; the last second with"
            + " calls is partial):\n\n| second");
    scenarios.forEach(scenario -> out.append(" | ").append(scenario));
    pairs.forEach(pair -> out.append(" | ").append(pair[0]).append('/').append(pair[1]));
    out.append(" |\n|---|").append("---|".repeat(scenarios.size() + pairs.size())).append('\n');
    int seconds =
        startup.values().stream()
            .mapToInt(runs -> lastWithCalls(runs.get(0).timeline()) + 1)
            .max()
            .orElse(0);
    for (int second = 0; second < seconds; second++) {
      out.append("| ").append(second);
      for (Scenario scenario : scenarios) {
        out.append(String.format(Locale.ROOT, " | %,d", count(startup.get(scenario), second)));
      }
      for (Scenario[] pair : pairs) {
        long bottom = count(startup.get(pair[1]), second);
        out.append(
            bottom == 0
                ? " | —"
                : String.format(
                    Locale.ROOT, " | %.2f", (double) count(startup.get(pair[0]), second) / bottom));
      }
      out.append(" |\n");
    }
    out.append("| steady from");
    for (Scenario scenario : scenarios) {
      out.append(" | ")
          .append(
              seconds(
                  steadyFrom(startup.get(scenario).get(0).timeline(), level(results, scenario))));
    }
    out.append(" |".repeat(pairs.size())).append(" |\n\n");
  }

  private static void coldRounds(
      StringBuilder out, HarnessRun.Results results, Map<Scenario, List<LoadResult>> cold) {
    List<Scenario[]> pairs = pairs(List.copyOf(cold.keySet()));
    out.append(
        "Cold phase: second from which each round was steady, median (min–max) of the rounds");
    out.append(":\n\n| scenario | steady from | rounds never steady |\n|---|---|---|\n");
    for (Map.Entry<Scenario, List<LoadResult>> scenario : cold.entrySet()) {
      double level = level(results, scenario.getKey());
      double[] steady =
          scenario.getValue().stream()
              .mapToDouble(run -> steadyFrom(run.timeline(), level))
              .toArray();
      long never = java.util.Arrays.stream(steady).filter(Double::isNaN).count();
      double[] reached = java.util.Arrays.stream(steady).filter(s -> !Double.isNaN(s)).toArray();
      out.append("| ")
          .append(scenario.getKey())
          .append(" | ")
          .append(
              reached.length == 0
                  ? "never"
                  : String.format(
                      Locale.ROOT,
                      "%.0f (%.0f–%.0f)",
                      Stats.of(reached).median(),
                      Stats.of(reached).min(),
                      Stats.of(reached).max()))
          .append(" | ")
          .append(never)
          .append(" |\n");
    }
    if (pairs.isEmpty()) {
      return;
    }
    out.append(
        "\n| target | rounds passing | median of rounds' lag, s (95% interval) | settled |\n"
            + "|---|---|---|---|\n");
    for (Scenario[] pair : pairs) {
      double[] lags =
          lags(
              cold.get(pair[0]),
              cold.get(pair[1]),
              level(results, pair[0]),
              level(results, pair[1]));
      long passing = java.util.Arrays.stream(lags).filter(lag -> lag <= TARGET_LAG_SECONDS).count();
      out.append(
          String.format(
              Locale.ROOT,
              "| %s steady at most %.0f s after %s | %d of %d | ",
              pair[0],
              TARGET_LAG_SECONDS,
              pair[1],
              passing,
              lags.length));
      PairedEstimate lag = PairedEstimate.of(lags);
      boolean settled = (lag.low() <= TARGET_LAG_SECONDS) == (lag.high() <= TARGET_LAG_SECONDS);
      out.append(
              String.format(
                  Locale.ROOT, "%+.1f (%+.1f to %+.1f)", lag.median(), lag.low(), lag.high()))
          .append(" | ")
          .append(settled ? (lag.high() <= TARGET_LAG_SECONDS ? "yes, PASS" : "yes, FAIL") : "no")
          .append(" |\n");
    }
  }

  /**
   * Round by round, how many seconds later {@code mesh} became steady than {@code raw}; a run never
   * steady counts as steady one second after its timeline ends, which is the least it can be.
   */
  static double[] lags(
      List<LoadResult> mesh, List<LoadResult> raw, double meshLevel, double rawLevel) {
    int rounds = Math.min(mesh.size(), raw.size());
    double[] lags = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      lags[i] =
          steadyOrEnd(mesh.get(i).timeline(), meshLevel)
              - steadyOrEnd(raw.get(i).timeline(), rawLevel);
    }
    return lags;
  }

  private static double steadyOrEnd(long[] timeline, double level) {
    double steady = steadyFrom(timeline, level);
    return Double.isNaN(steady) ? timeline.length + 1 : steady;
  }

  /**
   * The second from which {@code perSecond} stays at or above {@link #STEADY_SHARE} of {@code
   * level}, up to its last second with calls (left out, being partial); NaN if it never does.
   */
  static double steadyFrom(long[] perSecond, double level) {
    int end = perSecond.length;
    while (end > 0 && perSecond[end - 1] == 0) {
      end--;
    }
    end--; // the last second with calls is partial
    int steady = -1;
    for (int second = end - 1; second >= 0; second--) {
      if (perSecond[second] < STEADY_SHARE * level) {
        break;
      }
      steady = second;
    }
    return steady < 0 ? Double.NaN : steady;
  }

  /**
   * The steady level of {@code scenario}: its warm closed-loop median, else its startup window,
   * else (a cold phase alone) its cold rounds' median.
   */
  private static double level(HarnessRun.Results results, Scenario scenario) {
    for (Phase phase : List.of(Phase.CLOSED, Phase.STARTUP, Phase.COLD)) {
      Map<Scenario, List<LoadResult>> source = results.byPhase().get(phase);
      if (source != null && source.containsKey(scenario)) {
        return Stats.median(
            source.get(scenario).stream().mapToDouble(LoadResult::throughput).toArray());
      }
    }
    throw new IllegalStateException(
        "no closed-loop result of " + scenario + " to take a level from");
  }

  private static int lastWithCalls(long[] timeline) {
    int last = timeline.length - 1;
    while (last >= 0 && timeline[last] == 0) {
      last--;
    }
    return last;
  }

  private static long count(List<LoadResult> runs, int second) {
    long[] timeline = runs.get(0).timeline();
    return second < timeline.length ? timeline[second] : 0;
  }

  private static String seconds(double second) {
    return Double.isNaN(second) ? "never" : String.format(Locale.ROOT, "%.0f s", second);
  }

  private static List<Scenario[]> pairs(List<Scenario> scenarios) {
    List<Scenario[]> pairs = new ArrayList<>();
    for (Scenario[] pair : PAIRS) {
      if (scenarios.contains(pair[0]) && scenarios.contains(pair[1])) {
        pairs.add(pair);
      }
    }
    return pairs;
  }
}

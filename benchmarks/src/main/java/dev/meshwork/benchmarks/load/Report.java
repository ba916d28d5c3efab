package dev.meshwork.benchmarks.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run's results as markdown: per phase, each scenario's median and min–max over the rounds; the
 * ratios S1/S0, S4/S2 and S4/S3 (over HTTP/2: S7/S5 and S7/S6), and S2/S3 (S5/S6) for reference
 * (raw OkHttp with mutual TLS against the sidecar: on a machine whose cores client, proxy and
 * server share, about the most S4/S3 can reach, since the mesh adds to raw OkHttp's CPU per call);
 * the sweep, if it ran ({@link SweepReport}); and the targets with PASS or FAIL, in how
 * many rounds each ratio alone would pass, and the median of the rounds' ratios with whether its
 * 95% interval settles the target ({@link PairedEstimate}). Ratios are ratios of medians; the range
 * beside each is the spread of the same ratio taken round by round (the scenarios of a round ran
 * back to back, so a round's ratio compares like with like).
 */
final class Report {
  private static final List<Metric> SCENARIO_COLUMNS =
      List.of(
          Metric.THROUGHPUT,
          Metric.P50,
          Metric.P99,
          Metric.CPU_CLIENT,
          Metric.CPU_PROXY,
          Metric.CPU_CLIENT_AND_PROXY,
          Metric.CPU_BACKEND,
          Metric.GC_COLLECTIONS,
          Metric.GC_MILLIS,
          Metric.ALLOCATION,
          Metric.CONNECTIONS);
  private static final List<Metric> RATIO_COLUMNS =
      List.of(Metric.THROUGHPUT, Metric.P50, Metric.P99, Metric.CPU_CLIENT_AND_PROXY);
  private static final List<Scenario[]> RATIOS =
      List.of(
          new Scenario[] {Scenario.S1, Scenario.S0},
          new Scenario[] {Scenario.S4, Scenario.S2},
          new Scenario[] {Scenario.S4, Scenario.S3},
          new Scenario[] {Scenario.S2, Scenario.S3},
          new Scenario[] {Scenario.S7, Scenario.S5},
          new Scenario[] {Scenario.S7, Scenario.S6},
          new Scenario[] {Scenario.S5, Scenario.S6});

  private Report() {}

  /** The report, headed by {@code preamble} (machine, command, settings), one line each. */
  static String markdown(HarnessRun.Results results, List<String> preamble) {
    StringBuilder out = new StringBuilder();
    preamble.forEach(line -> out.append(line).append('\n'));
    out.append('\n');
    for (Map.Entry<Phase, Map<Scenario, List<LoadResult>>> phase : results.byPhase().entrySet()) {
      out.append("### ").append(title(phase.getKey(), results)).append("\n\n");
      scenarioTable(out, phase.getValue());
      out.append('\n');
      ratioTable(out, phase.getValue());
      out.append('\n');
    }
    SweepReport.append(out, results.sweep());
    if (!results.sweep().isEmpty()) {
      out.append('\n');
    }
    int before = out.length();
    StartupReport.append(out, results);
    if (out.length() > before) {
      out.append('\n');
    }
    StringBuilder rows = new StringBuilder();
    for (Target target : Target.ALL) {
      for (Phase phase : target.phases()) {
        Map<Scenario, List<LoadResult>> runs = results.byPhase().get(phase);
        if (runs == null
            || !runs.containsKey(target.numerator())
            || !runs.containsKey(target.denominator())) {
          continue;
        }
        targetRow(rows, target, phase, runs);
      }
    }
    if (rows.isEmpty()) {
      return out.toString(); // e.g. a sweep alone, which judges its targets in its own table
    }
    out.append(
            "### Targets\n\n| target | phase | measured (rounds' range) | result | rounds passing"
                + " | median of rounds' ratios (95% interval) | settled |\n|---|---|---|---|---|---|---|\n")
        .append(rows);
    out.append(
        "\nThe result judges the ratio of medians. \"Rounds passing\" judges each round's own ratio:"
            + " when it is neither all nor none, the rounds fall on both sides of the target. The median of the"
            + " rounds' own ratios cancels drift between rounds; its interval is a percentile bootstrap ("
            + PairedEstimate.RESAMPLES
            + " resamples, fixed seed), and \"settled\" says whether all of it lies on"
            + " one side of the target. Close targets need many short rounds to settle (see benchmarks/README.md).\n");
    return out.toString();
  }

  private static void targetRow(
      StringBuilder out, Target target, Phase phase, Map<Scenario, List<LoadResult>> runs) {
    double ratio = ratio(runs, target.numerator(), target.denominator(), target.metric()).median();
    double[] rounds = perRound(runs, target.numerator(), target.denominator(), target.metric());
    long passing = Arrays.stream(rounds).filter(target::passes).count();
    PairedEstimate paired = PairedEstimate.of(rounds);
    out.append("| ")
        .append(target.describe())
        .append(" | ")
        .append(phase.title)
        .append(" | ")
        .append(ratioText(runs, target.numerator(), target.denominator(), target.metric(), 3))
        .append(" | ")
        .append(target.passes(ratio) ? "PASS" : "FAIL")
        .append(" | ")
        .append(passing)
        .append(" of ")
        .append(rounds.length)
        .append(" | ")
        .append(paired.text())
        .append(" | ")
        .append(paired.settles(target) ? "yes" : "no")
        .append(" |\n");
  }

  /** The ratio of medians of {@code metric}, with the min and max of the round-by-round ratios. */
  static Stats ratio(
      Map<Scenario, List<LoadResult>> runs,
      Scenario numerator,
      Scenario denominator,
      Metric metric) {
    List<LoadResult> top = runs.get(numerator);
    List<LoadResult> bottom = runs.get(denominator);
    double median = median(top, metric) / median(bottom, metric);
    Stats rounds = Stats.of(perRound(runs, numerator, denominator, metric));
    return new Stats(median, rounds.min(), rounds.max());
  }

  /** The ratio of {@code metric} in each round, the scenarios of which ran back to back. */
  static double[] perRound(
      Map<Scenario, List<LoadResult>> runs,
      Scenario numerator,
      Scenario denominator,
      Metric metric) {
    List<LoadResult> top = runs.get(numerator);
    List<LoadResult> bottom = runs.get(denominator);
    double[] perRound = new double[Math.min(top.size(), bottom.size())];
    for (int i = 0; i < perRound.length; i++) {
      perRound[i] =
          metric.read.applyAsDouble(top.get(i)) / metric.read.applyAsDouble(bottom.get(i));
    }
    return perRound;
  }

  private static String title(Phase phase, HarnessRun.Results results) {
    String note = results.notes().getOrDefault(phase, "");
    return phase == Phase.FIXED
        ? phase.title
            + String.format(Locale.ROOT, " (%,.0f calls/s for every scenario)", results.fixedRate())
            + note
        : phase.title + note;
  }

  private static void scenarioTable(StringBuilder out, Map<Scenario, List<LoadResult>> runs) {
    List<String> header = new ArrayList<>(List.of("scenario"));
    SCENARIO_COLUMNS.forEach(metric -> header.add(metric.label));
    header.add("errors");
    out.append("| ")
        .append(String.join(" | ", header))
        .append(" |\n|")
        .append("---|".repeat(header.size()))
        .append('\n');
    for (Map.Entry<Scenario, List<LoadResult>> scenario : runs.entrySet()) {
      out.append("| ").append(scenario.getKey()).append(' ').append(scenario.getKey().description);
      for (Metric metric : SCENARIO_COLUMNS) {
        out.append(" | ").append(statsText(scenario.getValue(), metric));
      }
      long errors = scenario.getValue().stream().mapToLong(LoadResult::errors).sum();
      out.append(" | ").append(errors).append(" |\n");
    }
    out.append(
        "\nCPU columns: CPU seconds per 1,000 calls, median (min–max) of the rounds. GCs and GC ms: the"
            + " client JVM's collections in the measured window and their total pause time; alloc B/call: the"
            + " heap bytes its threads allocated per call in the window; new conns/1k calls: connections nginx"
            + " accepted in the window per 1,000 calls (for S3, HAProxy's).\n");
  }

  private static void ratioTable(StringBuilder out, Map<Scenario, List<LoadResult>> runs) {
    out.append("| ratio");
    RATIO_COLUMNS.forEach(metric -> out.append(" | ").append(metric.label));
    out.append(" |\n|---|").append("---|".repeat(RATIO_COLUMNS.size())).append('\n');
    for (Scenario[] pair : RATIOS) {
      if (!runs.containsKey(pair[0]) || !runs.containsKey(pair[1])) {
        continue;
      }
      out.append("| ").append(pair[0]).append('/').append(pair[1]);
      for (Metric metric : RATIO_COLUMNS) {
        out.append(" | ").append(ratioText(runs, pair[0], pair[1], metric, 2));
      }
      out.append(" |\n");
    }
  }

  /**
   * A ratio and its rounds' range to {@code decimals} places; targets get 3, so 1.499 does not read
   * as 1.50.
   */
  private static String ratioText(
      Map<Scenario, List<LoadResult>> runs,
      Scenario numerator,
      Scenario denominator,
      Metric metric,
      int decimals) {
    Stats ratio = ratio(runs, numerator, denominator, metric);
    String number = "%." + decimals + "f";
    return String.format(
        Locale.ROOT,
        number + " (" + number + "–" + number + ")",
        ratio.median(),
        ratio.min(),
        ratio.max());
  }

  /** A metric's median (min–max) over the rounds, in the metric's format. */
  static String statsText(List<LoadResult> runs, Metric metric) {
    Stats stats = Stats.of(runs.stream().mapToDouble(metric.read).toArray());
    if ((metric == Metric.CPU_PROXY && stats.max() == 0) || Double.isNaN(stats.median())) {
      return "—";
    }
    return String.format(
        Locale.ROOT,
        metric.format + " (" + metric.format + "–" + metric.format + ")",
        stats.median(),
        stats.min(),
        stats.max());
  }

  private static double median(List<LoadResult> runs, Metric metric) {
    return Stats.median(runs.stream().mapToDouble(metric.read).toArray());
  }
}

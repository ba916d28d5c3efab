package dev.meshwork.benchmarks.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sweep phase as markdown: one row per caller count with each scenario's median throughput, and
 * for every throughput target whose scenarios ran, the median of the rounds' ratios, its 95%
 * interval and the verdict (and S2/S3 for reference, when both ran). A last row compares each
 * scenario at its own best caller count; a second table gives cores busy and CPU per call.
 *
 * <p>Why a sweep: a sidecar's cost per call depends on how many calls are in flight. Where cores
 * are idle, throughput follows latency and an extra hop loses by the latency it adds; where they
 * are busy, throughput follows CPU per call, and a proxy's CPU per call falls as its event loop
 * handles more connections per wake-up. One caller count shows one point of that curve.
 */
final class SweepReport {
  private SweepReport() {}

  /** Appends the sweep section; nothing when the sweep did not run. */
  static void append(StringBuilder out, Map<Integer, Map<Scenario, List<LoadResult>>> sweep) {
    if (sweep.isEmpty()) {
      return;
    }
    List<Scenario> scenarios = List.copyOf(sweep.values().iterator().next().keySet());
    List<Column> columns = new ArrayList<>();
    Target.ALL.stream()
        .filter(
            target ->
                target.metric() == Metric.THROUGHPUT && target.phases().contains(Phase.CLOSED))
        .filter(
            target ->
                scenarios.contains(target.numerator()) && scenarios.contains(target.denominator()))
        .forEach(
            target -> columns.add(new Column(target.numerator(), target.denominator(), target)));
    boolean reference = scenarios.contains(Scenario.S2) && scenarios.contains(Scenario.S3);
    if (reference) {
      columns.add(new Column(Scenario.S2, Scenario.S3, null));
    }
    out.append("### ").append(Phase.SWEEP.title).append("\n\n");
    List<String> header = new ArrayList<>(List.of("callers"));
    scenarios.forEach(scenario -> header.add(scenario + " calls/s"));
    columns.forEach(column -> header.add(column.title()));
    out.append("| ")
        .append(String.join(" | ", header))
        .append(" |\n|")
        .append("---|".repeat(header.size()))
        .append('\n');
    for (Map.Entry<Integer, Map<Scenario, List<LoadResult>>> level : sweep.entrySet()) {
      Map<Scenario, List<LoadResult>> runs = level.getValue();
      out.append("| ").append(level.getKey());
      for (Scenario scenario : scenarios) {
        out.append(" | ").append(Report.statsText(runs.get(scenario), Metric.THROUGHPUT));
      }
      for (Column column : columns) {
        PairedEstimate paired =
            PairedEstimate.of(
                Report.perRound(runs, column.numerator(), column.denominator(), Metric.THROUGHPUT));
        out.append(" | ").append(paired.text());
        if (column.target() != null) {
          out.append(' ')
              .append(verdict(column.target(), paired.median()))
              .append(paired.settles(column.target()) ? ", settled" : ", not settled");
        }
      }
      out.append(" |\n");
    }
    out.append("| peak");
    for (Scenario scenario : scenarios) {
      Peak peak = peak(sweep, scenario);
      out.append(
          String.format(Locale.ROOT, " | %,.0f at %d callers", peak.throughput(), peak.callers()));
    }
    for (Column column : columns) {
      double ratio =
          peak(sweep, column.numerator()).throughput()
              / peak(sweep, column.denominator()).throughput();
      out.append(String.format(Locale.ROOT, " | %.3f", ratio));
      if (column.target() != null) {
        out.append(' ').append(verdict(column.target(), ratio));
      }
    }
    out.append(
        " |\n\nEach caller count ran its own rounds, every scenario once per round in turn. Throughput:"
            + " median (min–max) of the rounds. Target cells: the median of the rounds' own ratios, its 95% bootstrap"
            + " interval, the verdict on that median, and whether the interval settles it. The peak row compares each"
            + " scenario at its own best caller count: what the machine can carry on that path."
            + (reference
                ? " S2/S3, raw OkHttp with mutual TLS against the sidecar path, is judged against nothing: it is"
                    + " about the most S4/S3 can reach, since the mesh adds to raw OkHttp's CPU per call."
                : "")
            + "\n\n");
    cpuTable(out, sweep, scenarios);
  }

  /**
   * Per caller count and scenario: the cores the client JVM, HAProxy and nginx kept busy together,
   * and their CPU per call: whether a count left cores idle, and how each path's CPU per call moves
   * with load.
   */
  private static void cpuTable(
      StringBuilder out,
      Map<Integer, Map<Scenario, List<LoadResult>>> sweep,
      List<Scenario> scenarios) {
    out.append("| callers");
    scenarios.forEach(
        scenario -> out.append(" | ").append(scenario).append(" cores busy, CPU µs per call"));
    out.append(" |\n|").append("---|".repeat(scenarios.size() + 1)).append('\n');
    for (Map.Entry<Integer, Map<Scenario, List<LoadResult>>> level : sweep.entrySet()) {
      out.append("| ").append(level.getKey());
      for (Scenario scenario : scenarios) {
        List<LoadResult> runs = level.getValue().get(scenario);
        double cores = Stats.median(runs.stream().mapToDouble(LoadResult::coresBusy).toArray());
        double perCall =
            Stats.median(
                runs.stream()
                    .mapToDouble(r -> r.cpuPer1000("client", "proxy", "backend") * 1_000)
                    .toArray());
        out.append(String.format(Locale.ROOT, " | %.2f, %.0f", cores, perCall));
      }
      out.append(" |\n");
    }
    out.append(
        "\nCPU: the client JVM, HAProxy (S3 only) and nginx together, median of the rounds; cores busy is"
            + " their CPU seconds per second of the window, CPU per call their CPU microseconds per call.\n");
  }

  private static String verdict(Target target, double ratio) {
    return target.passes(ratio) ? "PASS" : "FAIL";
  }

  /**
   * A ratio column of the sweep table: a target's, or, without one, a ratio shown for reference.
   */
  private record Column(Scenario numerator, Scenario denominator, Target target) {
    String title() {
      return target != null
          ? target.describe()
          : numerator + "/" + denominator + " calls/s (reference)";
    }
  }

  /**
   * A scenario's highest median throughput over the sweep, and the caller count that reached it.
   */
  static Peak peak(Map<Integer, Map<Scenario, List<LoadResult>>> sweep, Scenario scenario) {
    Peak best = null;
    for (Map.Entry<Integer, Map<Scenario, List<LoadResult>>> level : sweep.entrySet()) {
      double median =
          Stats.median(
              level.getValue().get(scenario).stream()
                  .mapToDouble(LoadResult::throughput)
                  .toArray());
      if (best == null || median > best.throughput()) {
        best = new Peak(level.getKey(), median);
      }
    }
    return best;
  }

  /** The best median throughput of a scenario in the sweep. */
  record Peak(int callers, double throughput) {}
}

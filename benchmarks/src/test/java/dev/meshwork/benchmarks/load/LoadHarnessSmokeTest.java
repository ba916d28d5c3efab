package dev.meshwork.benchmarks.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs the whole load harness for about a second per scenario against real nginx and HAProxy, so it
 * cannot rot: every scenario of every phase must make calls and none may fail. It judges no speed.
 * Skipped only when the binaries are missing (CI installs both).
 */
class LoadHarnessSmokeTest {
  @TempDir Path dir;

  @Test
  void everyScenarioOfEveryDefaultPhaseMakesCallsWithoutErrorsAndTheReportIsWritten()
      throws Exception {
    String text =
        runHarness(
            "--mode",
            "one-jvm",
            "--rounds",
            "1",
            "--duration",
            "1",
            "--warmup",
            "0.2",
            "--concurrency",
            "4",
            "--rate",
            "100",
            "--rate-callers",
            "8");

    List<Phase> defaults = List.of(Phase.CLOSED, Phase.FIXED, Phase.ENDPOINTS);
    for (Phase phase : defaults) {
      assertTrue(
          text.contains("### " + phase.title), "a section for " + phase.title + ":\n" + text);
    }
    assertFalse(text.contains(Phase.SWEEP.title), "the sweep runs only when asked for:\n" + text);
    List<String> rows =
        text.lines().filter(line -> line.startsWith("| S") && line.contains("→")).toList();
    assertEquals(defaults.size() * Scenario.DEFAULTS.size(), rows.size(), text);
    for (String row : rows) {
      String[] cells = row.split("\\|");
      double throughput = Double.parseDouble(cells[2].trim().split(" ")[0].replace(",", ""));
      assertTrue(throughput > 0, "calls were made: " + row);
      assertEquals("0", cells[cells.length - 1].trim(), "no errors: " + row);
    }
    assertTrue(
        text.contains("| GCs | GC ms | alloc B/call | new conns/1k calls | errors |"),
        "GC pauses shown beside the latencies:\n" + text);
    assertTrue(text.contains("### Targets"), text);
  }

  @Test
  void perJvmModeRunsEveryScenarioInAJvmOfItsOwnThroughEveryDefaultPhase() throws Exception {
    String text =
        runHarness(
            "--rounds",
            "1",
            "--duration",
            "0.5",
            "--warmup",
            "0.2",
            "--cold-warmup",
            "2", // a fresh JVM's first TLS calls can take a second on a busy machine
            "--startup-seconds",
            "2",
            "--concurrency",
            "4",
            "--rate",
            "100",
            "--rate-callers",
            "8");

    List<Phase> defaults = List.of(Phase.STARTUP, Phase.COLD, Phase.CLOSED, Phase.FIXED);
    for (Phase phase : defaults) {
      assertTrue(
          text.contains("### " + phase.title), "a section for " + phase.title + ":\n" + text);
    }
    assertTrue(text.contains("Mode: per JVM."), text);
    List<String> rows =
        text.lines().filter(line -> line.startsWith("| S") && line.contains("→")).toList();
    assertEquals(defaults.size() * Scenario.DEFAULTS.size(), rows.size(), text);
    for (String row : rows) {
      String[] cells = row.split("\\|");
      double throughput = Double.parseDouble(cells[2].trim().split(" ")[0].replace(",", ""));
      assertTrue(throughput > 0, "calls were made: " + row);
      assertEquals("0", cells[cells.length - 1].trim(), "no errors: " + row);
      assertTrue(
          cells[cells.length - 3].trim().matches("[\\d,]+ \\(.*\\)"),
          "allocation per call measured: " + row);
      assertTrue(
          cells[cells.length - 2].trim().matches("[\\d,.]+ \\(.*\\)"),
          "new connections counted: " + row);
    }
    assertTrue(text.contains("### Time to steady state"), text);
    assertTrue(text.contains("| second | S0 | S1 | S2 | S3 | S4 | S1/S0 | S4/S2 | S4/S3 |"), text);
    assertTrue(text.contains("| S4 steady at most 2 s after S2 | "), text);
  }

  @Test
  void aSubsetOfScenariosRunsAloneAndOnlyItsTargetsAreJudged() throws Exception {
    String text =
        runHarness(
            "--mode",
            "one-jvm",
            "--rounds",
            "1",
            "--duration",
            "0.5",
            "--warmup",
            "0.1",
            "--concurrency",
            "2",
            "--phases",
            "closed",
            "--scenarios",
            "S1,S0");

    List<String> rows =
        text.lines().filter(line -> line.startsWith("| S") && line.contains("→")).toList();
    assertEquals(2, rows.size(), text);
    assertTrue(rows.get(0).startsWith("| S0 ") && rows.get(1).startsWith("| S1 "), text);
    List<String> targets =
        text.lines().filter(line -> line.contains("closed loop, 1 endpoint |")).toList();
    assertEquals(1, targets.size(), "S1/S0 throughput only:\n" + text);
    assertTrue(targets.stream().allMatch(line -> line.startsWith("| S1/S0 ")), text);
  }

  @Test
  void theHttp2ScenariosGetHttp2ResponsesAndAreComparedWithEachOther() throws Exception {
    String text =
        runHarness(
            "--mode",
            "one-jvm",
            "--rounds",
            "1",
            "--duration",
            "0.5",
            "--warmup",
            "0.2",
            "--concurrency",
            "4",
            "--phases",
            "closed,endpoints",
            "--scenarios",
            "S5,S6,S7");

    // A call answered over another protocol than the scenario's is an error (S5 and S7: h2).
    List<String> rows =
        text.lines().filter(line -> line.startsWith("| S") && line.contains("→")).toList();
    assertEquals(6, rows.size(), text);
    for (String row : rows) {
      String[] cells = row.split("\\|");
      double throughput = Double.parseDouble(cells[2].trim().split(" ")[0].replace(",", ""));
      assertTrue(throughput > 0, "calls were made: " + row);
      assertEquals("0", cells[cells.length - 1].trim(), "no errors: " + row);
    }
    assertTrue(text.lines().anyMatch(line -> line.startsWith("| S7/S5 | ")), text);
    assertTrue(text.lines().anyMatch(line -> line.startsWith("| S7/S6 | ")), text);
  }

  @Test
  void theSweepRunsEachCallerCountInOrderAndJudgesTheThroughputTargetAtEach() throws Exception {
    String text =
        runHarness(
            "--mode",
            "one-jvm",
            "--rounds",
            "1",
            "--duration",
            "0.5",
            "--warmup",
            "0.1",
            "--phases",
            "sweep",
            "--sweep-callers",
            "3,1",
            "--scenarios",
            "S3,S4");

    List<String> rows =
        text.lines().filter(line -> line.matches("\\| \\d+ \\| [\\d,]+ \\(.*")).toList();
    assertEquals(2, rows.size(), text);
    assertTrue(
        rows.get(0).startsWith("| 3 |") && rows.get(1).startsWith("| 1 |"),
        "in the order given:\n" + text);
    for (String row : rows) {
      String[] cells = row.split("\\|");
      for (int column = 2; column <= 3; column++) {
        double throughput = Double.parseDouble(cells[column].trim().split(" ")[0].replace(",", ""));
        assertTrue(throughput > 0, "calls were made: " + row);
      }
      assertTrue(
          cells[4].matches(" \\d\\.\\d{3} \\(.*\\) (PASS|FAIL), (settled|not settled) "), row);
    }
    assertTrue(text.lines().anyMatch(line -> line.startsWith("| peak | ")), text);
    List<String> cpuRows =
        text.lines()
            .filter(line -> line.matches("\\| \\d+ \\| \\d+\\.\\d\\d, \\d+ \\|.*"))
            .toList();
    assertEquals(2, cpuRows.size(), "cores busy and CPU per call at each count:\n" + text);
  }

  @Test
  void badInputNamesTheOptionTheValueAndWhatWasExpected() {
    assertEquals(
        "Invalid value for option '--rounds': '0'; expected a whole number from 1 to 100",
        usageError("--rounds", "0"));
    assertEquals(
        "Invalid value for option '--duration': '-1'; expected seconds from 0.1 to 3600",
        usageError("--duration", "-1"));
    assertTrue(
        usageError("--phases", "closed,sideways")
            .startsWith("Invalid value for option '--phases'"));
    assertEquals(
        "Invalid value for option '--phases': '[FIXED]'; the fixed phase takes its rate from a"
            + " closed-loop phase, so expected closed or cold before fixed, or --rate",
        usageError("--phases", "fixed"));
    assertEquals(
        "Invalid value for option '--phases': '[FIXED]'; the fixed phase takes its rate from a"
            + " closed-loop phase, so expected closed before fixed, or --rate",
        usageError("--mode", "one-jvm", "--phases", "fixed"));
    assertEquals(
        "Invalid value for option '--phases': '[SWEEP]'; expected one or more of startup, cold,"
            + " closed, fixed, endpoints, each once (per-JVM mode)",
        usageError("--phases", "sweep"));
    assertEquals(
        "Invalid value for option '--phases': '[COLD]'; expected one or more of closed, fixed,"
            + " endpoints, sweep, each once (one-JVM mode)",
        usageError("--mode", "one-jvm", "--phases", "cold"));
    assertEquals(
        "Invalid value for option '--startup-seconds': only the per-JVM mode uses it, so expected"
            + " --mode per-jvm",
        usageError("--mode", "one-jvm", "--startup-seconds", "30"));
    assertEquals(
        "Invalid value for option '--mode': 'two-jvm'; expected per-jvm or one-jvm",
        usageError("--mode", "two-jvm"));
    assertEquals(
        "Invalid value for option '--scenarios': '[S0, S0]'; expected one or more of S0 to S7, each"
            + " once",
        usageError("--scenarios", "S0,S0"));
    assertEquals(
        "Invalid value for option '--sweep-callers': '[4, 0]'; expected one or more whole numbers from 1 to"
            + " 1024, each once",
        usageError("--mode", "one-jvm", "--phases", "sweep", "--sweep-callers", "4,0"));
    assertEquals(
        "Invalid value for option '--sweep-callers': '[2, 4]'; only the sweep phase uses it, so expected"
            + " --phases to include sweep",
        usageError("--sweep-callers", "2,4"));
  }

  /**
   * Runs the harness with {@code args} against real nginx and HAProxy, expects exit code 0 and
   * returns the report; skips the test when either binary is missing.
   */
  private String runHarness(String... args) throws Exception {
    assumeTrue(
        ServerProcess.findBinary(NginxBackend.BINARIES).isPresent()
            && ServerProcess.findBinary(HaproxySidecar.BINARIES).isPresent(),
        "nginx or haproxy is not installed (looked for "
            + NginxBackend.BINARIES
            + " and "
            + HaproxySidecar.BINARIES
            + "); install the Debian packages nginx-light and haproxy, as .ci/run does");
    Path report = Files.createTempFile(dir, "report-", ".md");
    String[] withOutput = Arrays.copyOf(args, args.length + 2);
    withOutput[args.length] = "--output";
    withOutput[args.length + 1] = report.toString();
    assertEquals(0, LoadHarness.execute(withOutput));
    return Files.readString(report);
  }

  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine = LoadHarness.commandLine();
    commandLine.setErr(new PrintWriter(err));
    assertEquals(2, commandLine.execute(args), err.toString());
    return err.toString().lines().findFirst().orElse("").trim();
  }
}

package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The machine and software a run measured, and the load on the machine, for the report's head. */
record Environment(String nginxVersion, String haproxyVersion, String loadAtStart) {

  static Environment capture(String nginxBinary, String haproxyBinary) {
    return new Environment(
        firstLine(nginxBinary, "-v"), firstLine(haproxyBinary, "-v"), loadAverage());
  }

  /** Lines that head the report: what ran, where, how, and what the CPU columns count. */
  List<String> preamble(
      LocalDate date, HarnessRun.Settings settings, int endpoints, String arguments) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "## " + date + ": load harness (raw OkHttp, the mesh, an HAProxy sidecar, against nginx)");
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Machine: %d cores, %s memory, %s %s (%s), %s %s. %s; %s.",
            Runtime.getRuntime().availableProcessors(),
            memory(),
            System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"),
            System.getProperty("os.arch"),
            System.getProperty("os.name"),
            System.getProperty("os.version"),
            nginxVersion,
            haproxyVersion));
    lines.add(
        "Load average (1, 5, 15 min) at start: "
            + loadAtStart
            + "; at end: "
            + loadAverage()
            + ".");
    lines.add("");
    lines.add("Harness arguments: `" + (arguments.isBlank() ? "(defaults)" : arguments) + "`");
    lines.add("");
    lines.add(
        String.format(
            Locale.ROOT,
            "Settings: %d rounds; per scenario and round %.1f s warm-up, %.1f s measured; %s."
                + " Every client and server is on 127.0.0.1; pooled keep-alive connections, HTTP/1.1 in S0 to S4,"
                + " HTTP/2 to nginx in S5 to S7; a 1,024-byte body per call, read whole.",
            settings.rounds(),
            settings.warmupSeconds(),
            settings.durationSeconds(),
            phaseSettings(settings, endpoints)));
    lines.add("");
    lines.add(
        "CPU counted per scenario, over the measured window: the client JVM's process CPU time"
            + " (OperatingSystemMXBean: every thread of the harness's JVM, i.e. the callers, OkHttp, the mesh, JIT and GC),"
            + " HAProxy's user + system time from /proc/<pid>/stat (S3 only) and nginx's (master and workers)."
            + " \"client + sidecar\" is what the issue's CPU target compares; nginx is shown apart because it is the"
            + " same server in every scenario.");
    return lines;
  }

  /** What the phases that ran were driven with, and only those. */
  private static String phaseSettings(HarnessRun.Settings settings, int endpoints) {
    List<String> parts = new ArrayList<>();
    Set<Phase> phases = settings.phases();
    if (phases.contains(Phase.CLOSED) || phases.contains(Phase.ENDPOINTS)) {
      parts.add("closed loop with " + settings.concurrency() + " callers");
    }
    if (phases.contains(Phase.FIXED)) {
      parts.add("fixed rate with up to " + settings.rateCallers() + " callers");
    }
    if (phases.contains(Phase.ENDPOINTS)) {
      parts.add(endpoints + " endpoints in the all-endpoints phase");
    }
    if (phases.contains(Phase.SWEEP)) {
      parts.add(
          "the sweep's closed loop with "
              + settings.sweepCallers().stream()
                  .map(String::valueOf)
                  .collect(Collectors.joining(", "))
              + " callers");
    }
    return String.join("; ", parts);
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + ", " + fields[1] + ", " + fields[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f GiB", kib / 1024.0 / 1024.0);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Fall through: the report says it does not know.
    }
    return "unknown";
  }

  private static String firstLine(String binary, String flag) {
    try {
      Process process = new ProcessBuilder(binary, flag).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(10, TimeUnit.SECONDS);
      return output.lines().findFirst().orElse(binary).trim();
    } catch (IOException e) {
      return binary + " (version unknown: " + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return binary;
    }
  }
}

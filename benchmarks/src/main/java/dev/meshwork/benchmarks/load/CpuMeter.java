package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time used so far by the processes of one scenario: this JVM (all its threads: callers, the
 * mesh, OkHttp, JIT and GC, from {@code OperatingSystemMXBean.getProcessCpuTime()}) and each server
 * process, from {@code /proc/<pid>/stat} (user plus system time, in clock ticks). Taking a reading
 * before and after a measurement gives the CPU each process spent on it.
 */
final class CpuMeter {
  /**
   * Linux reports times in /proc in USER_HZ ticks, which is 100 on every mainstream kernel build.
   */
  private static final double TICKS_PER_SECOND = 100.0;

  private final Map<String, Long> processes;

  /** A meter for this JVM and {@code processes} (role name to PID, e.g. "haproxy" to 1234). */
  CpuMeter(Map<String, Long> processes) {
    this.processes = new LinkedHashMap<>(processes);
  }

  /** CPU seconds used so far, by role: "client" for this JVM, then the named processes. */
  Map<String, Double> read() {
    Map<String, Double> seconds = new LinkedHashMap<>();
    seconds.put("client", jvmCpuNanos() / 1e9);
    processes.forEach((role, pid) -> seconds.put(role, processCpuSeconds(pid)));
    return seconds;
  }

  /** {@code after - before}, role by role. */
  static Map<String, Double> spent(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> spent = new LinkedHashMap<>();
    after.forEach((role, seconds) -> spent.put(role, seconds - before.getOrDefault(role, 0.0)));
    return spent;
  }

  private static long jvmCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    throw new IllegalStateException(
        "this JVM does not report its process CPU time"
            + " (no com.sun.management.OperatingSystemMXBean); the harness needs a HotSpot-based JDK");
  }

  /**
   * CPU seconds of {@code pid} and its live descendants (nginx's workers are children of its master
   * process).
   */
  static double processCpuSeconds(long pid) {
    double seconds = ownCpuSeconds(pid);
    for (ProcessHandle child :
        ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(java.util.List.of())) {
      seconds += ownCpuSeconds(child.pid());
    }
    return seconds;
  }

  /** utime + stime of {@code pid} (fields 14 and 15 of /proc/pid/stat), in seconds. */
  private static double ownCpuSeconds(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CPU time of process " + pid, e);
    }
    // The command name (field 2) is in parentheses and may contain spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks / TICKS_PER_SECOND;
  }
}

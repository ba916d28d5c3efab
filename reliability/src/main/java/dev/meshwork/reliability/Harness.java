package dev.meshwork.reliability;

import dev.meshwork.core.spi.MeshThreads;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** What every scenario's {@code main} and test share: schedulers, and printing the report. */
public final class Harness {
  private Harness() {}

  /** A scheduler of daemon threads named {@code name}, for pacing and scripted faults. */
  public static ScheduledExecutorService scheduler(String name, int threads) {
    ScheduledThreadPoolExecutor scheduler =
        (ScheduledThreadPoolExecutor)
            Executors.newScheduledThreadPool(threads, MeshThreads.named(name));
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }

  /** Adds every failure kind of {@code tally} to {@code report}. */
  public static void failureKinds(Report report, String title, Tally tally) {
    Map<String, String> failures = tally.failures();
    if (failures.isEmpty()) {
      report.figure(title, "none");
    }
    failures.forEach((kind, text) -> report.figure(title + ": " + kind, text));
  }

  /**
   * Prints the report, writes it under the options' output directory and ends the JVM with 0 when
   * every target was met, 1 otherwise.
   */
  public static void finish(Report report, Options options) throws IOException {
    System.out.print(report.text());
    Path written = report.write(options.output());
    System.out.println("report: " + written.toAbsolutePath());
    System.exit(report.passed() ? 0 : 1);
  }
}

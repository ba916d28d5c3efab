package dev.meshwork.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The files and programs a harness run needs: server binaries, log and temporary directories. */
final class RunFiles {
  private RunFiles() {}

  /**
   * The binary given with {@code option}, which must be executable, or else the first of {@code
   * candidates} that is; fails naming the Debian package to install.
   */
  static String binary(
      CommandSpec spec,
      String option,
      Path given,
      List<String> candidates,
      String name,
      String debianPackage) {
    if (given != null) {
      if (!Files.isExecutable(given)) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '"
                + option
                + "': '"
                + given
                + "' is not an executable file; expected the path of the "
                + name
                + " binary");
      }
      return given.toString();
    }
    return ServerProcess.findBinary(candidates)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " is not installed (looked for "
                        + candidates
                        + "); install the Debian package "
                        + debianPackage
                        + " (benchmarks/run-load.sh does when run as root)"
                        + " or pass "
                        + option
                        + " PATH"));
  }

  /**
   * Where the scenario JVMs' logs go: beside the report, named after it, emptied of the last run's
   * logs.
   */
  static Path jvmLogDirectory(Path output) throws IOException {
    Path report = output.toAbsolutePath();
    Path logs = report.resolveSibling(report.getFileName() + ".jvm-logs");
    Files.createDirectories(logs);
    try (Stream<Path> old = Files.list(logs)) {
      for (Path log : old.filter(file -> file.toString().endsWith(".log")).toList()) {
        Files.delete(log);
      }
    }
    return logs;
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    }
  }
}

package dev.meshwork.cli;

import dev.meshwork.config.ConfigLint;
import dev.meshwork.config.LintFinding;
import dev.meshwork.config.LintFinding.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code config lint}: the lint findings of mesh documents, as text, JSON or JUnit XML. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Check mesh documents: each problem that refuses a document, and settings that load but do"
          + " not do what they seem to, each with a stable code (docs/config/lint-rules.md).",
      "Exit codes: 0 no finding at or above --fail-on, 1 such findings (a file that cannot be"
          + " read is one), 2 wrong command line."
    })
final class LintCommand implements Callable<Integer> {
  /** How findings are written. */
  enum Format {
    text,
    json,
    junit
  }

  /** The least severity that fails the run. */
  enum FailOn {
    error,
    warning,
    info
  }

  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "FILE",
      description = "Mesh documents (YAML or JSON) or Kubernetes manifests to import.")
  List<Path> files;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text (one finding a line), json (Conftest's result list, for CI bots) or junit (JUnit"
              + " XML: a test per rule and file). Default: ${DEFAULT-VALUE}.")
  Format format;

  @Option(
      names = "--fail-on",
      paramLabel = "SEVERITY",
      defaultValue = "error",
      description =
          "error, warning or info: the least severity that fails. Default: ${DEFAULT-VALUE}.")
  FailOn failOn;

  @Option(
      names = "--merged",
      description =
          "Lint the files as one document, merged in order (a base, then its overrides), instead"
              + " of each on its own.")
  boolean merged;

  @Option(names = "--strict", description = ConfigCommand.STRICT)
  boolean strict;

  @Override
  public Integer call() throws Exception {
    Map<String, List<LintFinding>> byFile = new LinkedHashMap<>();
    if (merged) {
      byFile.put(
          name(files), ConfigLint.lint(ConfigCommand.imports(strict), files.toArray(Path[]::new)));
    } else {
      for (Path file : files) {
        byFile.put(file.toString(), ConfigLint.lint(ConfigCommand.imports(strict), file));
      }
    }
    Severity threshold = Severity.valueOf(failOn.name().toUpperCase(Locale.ROOT));
    PrintWriter out = spec.commandLine().getOut();
    switch (format) {
      case json -> out.println(LintReports.json(byFile));
      case junit -> out.print(LintReports.junit(byFile, threshold));
      default -> out.print(LintReports.text(byFile));
    }
    out.flush();
    List<LintFinding> failing = new ArrayList<>();
    byFile
        .values()
        .forEach(
            list ->
                list.stream().filter(f -> f.severity().atLeast(threshold)).forEach(failing::add));
    return failing.isEmpty() ? 0 : 1;
  }

  private static String name(List<Path> files) {
    List<String> names = new ArrayList<>();
    files.forEach(file -> names.add(file.toString()));
    return String.join(" + ", names);
  }
}

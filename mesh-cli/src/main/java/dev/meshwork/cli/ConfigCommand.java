package dev.meshwork.cli;

import dev.meshwork.config.ConfigDocumentException;
import dev.meshwork.config.MeshConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code config}: lint, plan and explain mesh documents ({@code apiVersion:
 * meshwork.dev/v1alpha1}).
 */
@Command(
    name = "config",
    description = "Lint, plan and explain mesh documents.",
    subcommands = {LintCommand.class, PlanCommand.class, ConfigCommand.Explain.class})
final class ConfigCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "a subcommand is required: config lint, plan or explain");
  }

  /** What {@code --strict} says about imported Kubernetes objects. */
  static final String STRICT =
      "Refuse imported Kubernetes objects (HTTPRoute, VirtualService, DestinationRule) with a field"
          + " Meshwork does not honour, instead of leaving it out with a warning (MW113).";

  static MeshConfig.Imports imports(boolean strict) {
    return strict ? MeshConfig.Imports.STRICT : MeshConfig.Imports.LENIENT;
  }

  /** Loads {@code files} merged in order; on a refusal, prints each problem and returns null. */
  static MeshConfig load(List<Path> files, boolean strict, PrintWriter err) {
    try {
      return MeshConfig.load(imports(strict), files.toArray(Path[]::new));
    } catch (ConfigDocumentException e) {
      e.problems().forEach(problem -> err.println(problem));
      err.println(
          "meshwork: "
              + (e.problems().size() == 1 ? "1 problem" : e.problems().size() + " problems")
              + "; nothing was changed");
      return null;
    }
  }

  /** {@code config explain}: every setting, defaults included, with where it came from. */
  @Command(
      name = "explain",
      mixinStandardHelpOptions = true,
      description = {
        "Print the effective configuration: every setting, one a line, defaults included, with the"
            + " file:line:column that set it or 'default'.",
        "Several files are merged in order, later over earlier (a base, then its overrides).",
        "A file may hold Kubernetes manifests instead (Gateway API HTTPRoute, Istio VirtualService"
            + " and DestinationRule), imported as a mesh document (docs/config/importers.md).",
        "Exit codes: 0 printed, 1 the document was refused (each problem is printed), 2 wrong"
            + " command line."
      })
  static final class Explain implements java.util.concurrent.Callable<Integer> {
    @Spec CommandSpec spec;

    @picocli.CommandLine.Parameters(
        arity = "1..*",
        paramLabel = "FILE",
        description = "Mesh documents (YAML or JSON) or Kubernetes manifests to import.")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--strict", description = STRICT)
    boolean strict;

    @Override
    public Integer call() {
      MeshConfig config = load(files, strict, spec.commandLine().getErr());
      if (config == null) {
        return 1;
      }
      spec.commandLine().getOut().print(config.explain());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}

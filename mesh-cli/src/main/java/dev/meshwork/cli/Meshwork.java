package dev.meshwork.cli;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshwork}: the mesh on the command line. {@code ca}, {@code issue} and {@code inspect}
 * handle the built-in CA's files, for a team that wants the mesh's certificates without running a
 * PKI; {@code config lint}, {@code config plan} and {@code config explain} check a mesh document,
 * show what applying it would change, and show every setting with where it came from.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (a file could not be read or written, a document
 * was refused, lint found what {@code --fail-on} names), 2 the command line was wrong (the message
 * names the option and the value), 3 {@code config plan} found changes.
 */
@Command(
    name = "meshwork",
    mixinStandardHelpOptions = true,
    version = "meshwork 0.1.0-SNAPSHOT",
    description = "Built-in CA files and certificates; lint, plan and explain mesh documents.",
    subcommands = {CaCommand.class, IssueCommand.class, InspectCommand.class, ConfigCommand.class})
public final class Meshwork implements Runnable {
  /** A change was found ({@code config plan}), as {@code kapp --diff-exit-status} says it. */
  static final int CHANGES = 3;

  @Spec CommandSpec spec;

  /** The time certificates are issued and judged at; tests replace it. */
  MeshClock clock = MeshClock.system();

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(new Meshwork()).execute(args));
  }

  /** A command line for {@code cli} that reports failures as one line rather than a trace. */
  static CommandLine commandLine(Meshwork cli) {
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          if (e instanceof MeshConfigException) {
            err.println("meshwork: " + e.getMessage());
            return 2;
          }
          err.println("meshwork: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required: ca create, issue, inspect or config");
  }
}

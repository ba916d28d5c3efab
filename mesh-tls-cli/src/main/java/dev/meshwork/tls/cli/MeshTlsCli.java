package dev.meshwork.tls.cli;

import dev.meshwork.core.MeshClock;
import dev.meshwork.core.exception.MeshConfigException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code meshwork-tls}: the built-in CA's files on the command line, for a team that wants the
 * mesh's certificates without running a PKI, or to look at the certificates it has. Create a CA
 * directory, issue a workload's key, chain and trust bundle (the three files {@code PemFileSource}
 * reads), and inspect any PEM certificate.
 *
 * <p>Exit codes: 0 success, 1 the operation failed (a file could not be read or written), 2 the
 * command line was wrong (the message names the option and the value).
 */
@Command(
    name = "meshwork-tls",
    mixinStandardHelpOptions = true,
    version = "meshwork-tls 0.1.0-SNAPSHOT",
    description = "Create a built-in CA, issue workload certificates, inspect certificates.",
    subcommands = {CaCommand.class, IssueCommand.class, InspectCommand.class})
public final class MeshTlsCli implements Runnable {
  @Spec CommandSpec spec;

  /** The time certificates are issued and judged at; tests replace it. */
  MeshClock clock = MeshClock.system();

  /** Runs the tool and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(commandLine(new MeshTlsCli()).execute(args));
  }

  /** A command line for {@code cli} that reports failures as one line rather than a trace. */
  static CommandLine commandLine(MeshTlsCli cli) {
    CommandLine commandLine = new CommandLine(cli);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          PrintWriter err = line.getErr();
          if (e instanceof MeshConfigException) {
            err.println("meshwork-tls: " + e.getMessage());
            return 2;
          }
          err.println("meshwork-tls: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          return 1;
        });
    return commandLine;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a command is required: ca create, issue or inspect");
  }
}

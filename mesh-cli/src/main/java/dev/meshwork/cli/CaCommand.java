package dev.meshwork.cli;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.TrustDomain;
import dev.meshwork.tls.internal.CaFileChecks;
import dev.meshwork.tls.internal.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ca create}: a new built-in CA root, saved to a directory. */
@Command(name = "ca", description = "Manage the built-in CA.", subcommands = CaCommand.Create.class)
final class CaCommand implements Runnable {
  @Spec CommandSpec spec;
  @ParentCommand Meshwork cli;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is required: ca create");
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Create a CA: ca.pem (the root, for trust bundles) and ca-key.pem (owner-only).")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @ParentCommand CaCommand ca;

    @Option(
        names = "--dir",
        required = true,
        paramLabel = "DIR",
        description =
            "Directory to create the CA in (created owner-only if missing; an existing one must be"
                + " owned by the current user and not writable by group or others).")
    Path dir;

    @Option(
        names = "--trust-domain",
        paramLabel = "NAME",
        defaultValue = "cluster.local",
        description = "Trust domain of the identities it issues (default: ${DEFAULT-VALUE}).")
    String trustDomain;

    @Option(
        names = "--lifetime",
        paramLabel = "DURATION",
        defaultValue = "3650d",
        converter = Durations.class,
        description =
            "How long the root is valid, e.g. 3650d or PT87600H (default: ${DEFAULT-VALUE}).")
    Duration lifetime;

    @Override
    public Integer call() throws IOException {
      if (Files.exists(dir.resolve(BuiltInCa.CERTIFICATE_FILE))
          || Files.exists(dir.resolve(BuiltInCa.KEY_FILE))) {
        throw new ParameterException(
            spec.commandLine(),
            "Invalid value for option '--dir': '"
                + dir
                + "' already holds a CA ("
                + BuiltInCa.CERTIFICATE_FILE
                + " or "
                + BuiltInCa.KEY_FILE
                + "); refusing to replace its root");
      }
      if (Files.isDirectory(dir)) {
        try {
          CaFileChecks.requirePrivateDirectory(dir); // else others could swap the CA later
        } catch (MeshConfigException e) {
          throw new ParameterException(
              spec.commandLine(), "Invalid value for option '--dir': " + e.getMessage());
        }
      }
      TrustDomain domain;
      try {
        domain = TrustDomain.of(trustDomain);
      } catch (MeshConfigException e) {
        throw new ParameterException(
            spec.commandLine(), "Invalid value for option '--trust-domain': " + e.getMessage());
      }
      // The leaf lifetime is not saved (issue takes --ttl); it only has to fit in the root's.
      Duration leaves =
          lifetime.compareTo(BuiltInCa.DEFAULT_LEAF_LIFETIME) < 0
              ? lifetime
              : BuiltInCa.DEFAULT_LEAF_LIFETIME;
      BuiltInCa created =
          BuiltInCa.builder()
              .trustDomain(domain)
              .rootLifetime(lifetime)
              .leafLifetime(leaves)
              .clock(ca.cli.clock)
              .build();
      created.saveTo(dir);
      spec.commandLine()
          .getOut()
          .printf(
              "Created CA %s for trust domain %s, valid until %s%n  %s%n  %s (owner-only)%n",
              Certificates.describe(created.rootCertificate()),
              domain,
              created.rootCertificate().getNotAfter().toInstant(),
              dir.resolve(BuiltInCa.CERTIFICATE_FILE),
              dir.resolve(BuiltInCa.KEY_FILE));
      return 0;
    }
  }
}

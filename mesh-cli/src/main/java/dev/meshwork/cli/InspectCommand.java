package dev.meshwork.cli;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.PeerRole;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.SpiffeVerifier;
import dev.meshwork.tls.SvidRejectedException;
import dev.meshwork.tls.TrustBundle;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code inspect}: what a PEM certificate (or chain, leaf first) says, how long it has left, and
 * whether it verifies as an X.509-SVID against a trust bundle. Exit code 0 when it does (or no
 * bundle was given), 1 when it does not.
 */
@Command(
    name = "inspect",
    mixinStandardHelpOptions = true,
    description =
        "Show a certificate's SPIFFE ID, subject, issuer, validity and chain; verify it against a bundle.")
final class InspectCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @ParentCommand Meshwork cli;

  @Parameters(
      paramLabel = "FILE",
      description = "A PEM file of certificates, leaf first (such as chain.pem).")
  Path file;

  @Option(
      names = "--bundle",
      paramLabel = "FILE",
      description = "Trust bundle PEM to verify the chain against.")
  Path bundleFile;

  @Override
  public Integer call() throws IOException {
    List<X509Certificate> chain = read(file, "FILE");
    X509Certificate leaf = chain.get(0);
    Instant now = cli.clock.now();
    PrintWriter out = spec.commandLine().getOut();
    String spiffeId;
    SpiffeId id = null;
    try {
      id = SpiffeVerifier.identityOf(leaf);
      spiffeId = id.toString();
    } catch (SvidRejectedException e) {
      spiffeId = "none (" + e.getMessage() + ")";
    }
    Instant notAfter = leaf.getNotAfter().toInstant();
    Duration left = Duration.between(now, notAfter);
    row(out, "file", file);
    row(out, "SPIFFE ID", spiffeId);
    row(out, "subject", leaf.getSubjectX500Principal().getName());
    row(out, "issuer", leaf.getIssuerX500Principal().getName());
    row(out, "serial", "0x" + leaf.getSerialNumber().toString(16));
    row(out, "not before", leaf.getNotBefore().toInstant());
    row(out, "not after", notAfter);
    row(
        out,
        "remaining",
        left.isNegative()
            ? "expired " + Durations.format(left.negated()) + " ago"
            : Durations.format(left));
    row(out, "chain", chain.size() + (chain.size() == 1 ? " certificate" : " certificates"));
    if (bundleFile == null) {
      row(out, "verifies", "not checked (no --bundle)");
      return 0;
    }
    String failure = verify(chain, id);
    row(
        out,
        "verifies",
        failure == null ? "yes, as client and server, against " + bundleFile : "NO: " + failure);
    return failure == null ? 0 : 1;
  }

  /** Null when {@code chain} is an SVID valid now for both roles under the bundle, else why not. */
  private String verify(List<X509Certificate> chain, SpiffeId id) throws IOException {
    List<X509Certificate> anchors = read(bundleFile, "--bundle");
    if (id == null) {
      return "the leaf is not an X.509-SVID";
    }
    TrustBundle bundle;
    try {
      bundle = TrustBundle.of(id.trustDomain(), anchors);
    } catch (MeshConfigException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--bundle': " + e.getMessage());
    }
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(bundle).acceptAnyMember().clock(cli.clock).build();
    try {
      verifier.verify(chain, PeerRole.SERVER);
      verifier.verify(chain, PeerRole.CLIENT);
      return null;
    } catch (SvidRejectedException e) {
      return e.getMessage();
    }
  }

  private List<X509Certificate> read(Path path, String option) throws IOException {
    String name = option.startsWith("--") ? "option '" + option + "'" : "parameter " + option;
    if (!Files.isRegularFile(path)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for " + name + ": '" + path + "' is not a readable file");
    }
    try {
      return Pem.readCertificates(path, option);
    } catch (MeshConfigException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for " + name + ": " + e.getMessage());
    }
  }

  private static void row(PrintWriter out, String label, Object value) {
    out.printf("%-11s %s%n", label + ":", value);
  }
}

package dev.meshwork.cli;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.SpiffeId;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.OwnerOnlyFiles;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code issue}: a new key and X.509-SVID for one workload from a CA directory, written as the
 * three files a {@code PemFileSource} reads: {@value #KEY} (owner-only), {@value #CHAIN} and
 * {@value #BUNDLE}.
 */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description =
        "Issue a workload certificate: writes key.pem (owner-only), chain.pem and bundle.pem.")
final class IssueCommand implements Callable<Integer> {
  static final String KEY = "key.pem";
  static final String CHAIN = "chain.pem";
  static final String BUNDLE = "bundle.pem";

  @Spec CommandSpec spec;
  @ParentCommand Meshwork cli;

  @Option(
      names = "--ca",
      required = true,
      paramLabel = "DIR",
      description = "The CA directory (from 'ca create').")
  Path caDir;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Identity identity;

  static final class Identity {
    @Option(
        names = "--service",
        paramLabel = "NAME",
        description = "The service; its ID is spiffe://<trust-domain>/ns/<namespace>/sa/<NAME>.")
    String service;

    @Option(names = "--spiffe-id", paramLabel = "ID", description = "The full SPIFFE ID instead.")
    String spiffeId;
  }

  @Option(
      names = "--namespace",
      paramLabel = "NAME",
      defaultValue = "default",
      description = "Namespace of a --service identity (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      defaultValue = "24h",
      converter = Durations.class,
      description =
          "Lifetime of the certificate, e.g. 24h, 90m, 7d or PT24H (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description =
          "Directory to write key.pem, chain.pem and bundle.pem into (created if missing).")
  Path out;

  @Override
  public Integer call() throws IOException {
    BuiltInCa ca = loadCa();
    SpiffeId id = identityIn(ca);
    IssuedIdentity issued = ca.issue(id, ttl);
    Files.createDirectories(out);
    OwnerOnlyFiles.write(
        out.resolve(KEY), ascii(Pem.privateKey(issued.privateKey())), OwnerOnlyFiles.OWNER_ONLY);
    OwnerOnlyFiles.write(
        out.resolve(CHAIN), ascii(Pem.certificates(issued.chain())), OwnerOnlyFiles.WORLD_READABLE);
    OwnerOnlyFiles.write(
        out.resolve(BUNDLE),
        ascii(Pem.certificates(List.copyOf(issued.trustAnchors()))),
        OwnerOnlyFiles.WORLD_READABLE);
    spec.commandLine()
        .getOut()
        .printf(
            "Issued %s, %s, valid until %s%n  %s (owner-only)%n  %s%n  %s%n",
            id,
            Certificates.describe(issued.leaf()),
            issued.notAfter(),
            out.resolve(KEY),
            out.resolve(CHAIN),
            out.resolve(BUNDLE));
    return 0;
  }

  private BuiltInCa loadCa() throws IOException {
    if (!Files.isRegularFile(caDir.resolve(BuiltInCa.CERTIFICATE_FILE))) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--ca': '"
              + caDir
              + "' "
              + (Files.isDirectory(caDir)
                  ? "holds no CA (no " + BuiltInCa.CERTIFICATE_FILE + ")"
                  : "does not exist")
              + "; expected a directory made by 'ca create --dir "
              + caDir
              + "'");
    }
    try {
      return BuiltInCa.builder().clock(cli.clock).load(caDir);
    } catch (MeshConfigException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '--ca': " + e.getMessage());
    }
  }

  private SpiffeId identityIn(BuiltInCa ca) {
    try {
      if (identity.spiffeId != null) {
        SpiffeId id = SpiffeId.parse(identity.spiffeId);
        if (!id.isMemberOf(ca.trustDomain()) || id.isTrustDomainId()) {
          throw new ParameterException(
              spec.commandLine(),
              "Invalid value for option '--spiffe-id': '"
                  + id
                  + "' is not a workload ID in the CA's trust domain '"
                  + ca.trustDomain()
                  + "'");
        }
        return id;
      }
      return SpiffeId.forService(ca.trustDomain(), namespace, identity.service);
    } catch (MeshConfigException e) {
      String option =
          identity.spiffeId != null
              ? "--spiffe-id"
              : e.field().contains("namespace") ? "--namespace" : "--service";
      throw new ParameterException(
          spec.commandLine(), "Invalid value for option '" + option + "': " + e.getMessage());
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}

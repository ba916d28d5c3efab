package dev.meshwork.okhttp;

import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.TrustBundle;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Key, chain and bundle PEM files in a directory, the way a team's PKI hands them to a workload,
 * and the {@link PemFileSource} reading them: tests change the files and call {@code reload()}.
 */
final class PemFiles {
  final Path key;
  final Path chain;
  final Path bundle;

  PemFiles(Path directory, IssuedIdentity identity) throws IOException {
    Files.createDirectories(directory);
    key = directory.resolve("key.pem");
    chain = directory.resolve("chain.pem");
    bundle = directory.resolve("bundle.pem");
    Files.writeString(key, Pem.privateKey(identity.privateKey()));
    Files.writeString(chain, Pem.certificates(identity.chain()));
    writeBundle(identity.trustBundle());
  }

  /** A new key and chain; the bundle stays. */
  void writeIdentity(IssuedIdentity identity) throws IOException {
    Files.writeString(key, Pem.privateKey(identity.privateKey()));
    Files.writeString(chain, Pem.certificates(identity.chain()));
  }

  void writeBundle(TrustBundle trustBundle) throws IOException {
    Files.writeString(bundle, Pem.certificates(List.copyOf(trustBundle.anchors())));
  }

  PemFileSource source() {
    return PemFileSource.builder().keyFile(key).chainFile(chain).trustBundleFile(bundle).build();
  }
}

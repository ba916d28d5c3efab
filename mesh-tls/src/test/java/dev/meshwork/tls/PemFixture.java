package dev.meshwork.tls;

import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A small PKI on disk for file-source tests: a root with an intermediate that issues leaves, a
 * second root in the bundle, and helpers that write key, chain and bundle files the way an external
 * PKI would.
 */
final class PemFixture {
  static final String MATHOID = "spiffe://example.org/ns/default/sa/mathoid";

  final TestAuthority root;
  final TestAuthority otherRoot;
  final TestAuthority intermediate;
  final Path keyFile;
  final Path chainFile;
  final Path bundleFile;

  PemFixture(Path directory, Instant now) {
    root = TestAuthority.root("Root", now);
    otherRoot = TestAuthority.root("Next Root", now);
    intermediate = root.intermediate("Issuing CA");
    keyFile = directory.resolve("tls.key");
    chainFile = directory.resolve("tls.crt");
    bundleFile = directory.resolve("ca.crt");
  }

  /** A fresh leaf for {@link #MATHOID} under the intermediate, and its keys. */
  Leaf newLeaf() {
    CertBuilder builder = intermediate.leafBuilder(MATHOID);
    return new Leaf(builder.build(), builder.subjectKeys());
  }

  /** Writes {@code leaf}'s key, its chain (leaf, intermediate) and both roots to the files. */
  Leaf write(Leaf leaf) throws IOException {
    return write(leaf, keyFile, chainFile, bundleFile);
  }

  Leaf write(Leaf leaf, Path key, Path chain, Path bundle) throws IOException {
    writeKey(key, leaf.keys().getPrivate());
    writeCertificates(chain, List.of(leaf.certificate(), intermediate.certificate()));
    writeCertificates(bundle, List.of(root.certificate(), otherRoot.certificate()));
    return leaf;
  }

  static void writeKey(Path file, PrivateKey key) throws IOException {
    Files.writeString(file, Pem.privateKey(key), StandardCharsets.US_ASCII);
  }

  static void writeCertificates(Path file, List<X509Certificate> certificates) throws IOException {
    Files.writeString(file, Pem.certificates(certificates), StandardCharsets.US_ASCII);
  }

  record Leaf(X509Certificate certificate, KeyPair keys) {}
}

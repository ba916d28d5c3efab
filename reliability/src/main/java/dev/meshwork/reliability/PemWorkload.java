package dev.meshwork.reliability;

import dev.meshwork.tls.BuiltInCa;
import dev.meshwork.tls.IssuedIdentity;
import dev.meshwork.tls.PemFileSource;
import dev.meshwork.tls.SpiffeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * One workload's certificate files as a team's PKI hands them over, and the {@link PemFileSource}
 * that reads them: {@code key.pem}, {@code chain.pem} and {@code bundle.pem} are links into {@code
 * ..data}, itself a link to a directory of one version, swapped atomically on every change, the way
 * Kubernetes updates a mounted secret. The source picks each change up at its next poll.
 */
public final class PemWorkload implements AutoCloseable {
  private static final Base64.Encoder PEM = Base64.getMimeEncoder(64, new byte[] {'\n'});

  private final SpiffeId id;
  private final Path directory;
  private final PemFileSource source;
  private int version;
  private IssuedIdentity leaf;
  private List<X509Certificate> anchors;

  /**
   * Writes a first leaf for {@code id} from {@code issuer}, trusting {@code anchors}, and starts a
   * source polling the files every {@code poll}.
   */
  public PemWorkload(
      Path directory,
      SpiffeId id,
      BuiltInCa issuer,
      Duration leafLifetime,
      List<X509Certificate> anchors,
      Duration poll)
      throws IOException {
    this.id = id;
    this.directory = directory;
    Files.createDirectories(directory);
    this.leaf = issuer.issue(id, leafLifetime);
    this.anchors = List.copyOf(anchors);
    publish();
    for (String file : List.of("key.pem", "chain.pem", "bundle.pem")) {
      Files.createSymbolicLink(directory.resolve(file), Path.of("..data", file));
    }
    this.source =
        PemFileSource.builder()
            .keyFile(directory.resolve("key.pem"))
            .chainFile(directory.resolve("chain.pem"))
            .trustBundleFile(directory.resolve("bundle.pem"))
            .pollInterval(poll)
            .build();
  }

  public PemFileSource source() {
    return source;
  }

  public SpiffeId id() {
    return id;
  }

  /** A new key and leaf from {@code issuer}; the bundle stays. */
  public synchronized void rotate(BuiltInCa issuer, Duration leafLifetime) throws IOException {
    leaf = issuer.issue(id, leafLifetime);
    publish();
  }

  /** A new trust bundle; key and leaf stay. */
  public synchronized void trust(List<X509Certificate> anchors) throws IOException {
    this.anchors = List.copyOf(anchors);
    publish();
  }

  private void publish() throws IOException {
    version++;
    Path next = directory.resolve("..v" + version);
    Files.createDirectories(next);
    Files.writeString(next.resolve("key.pem"), privateKey(leaf.privateKey()));
    Files.writeString(next.resolve("chain.pem"), certificates(leaf.chain()));
    Files.writeString(next.resolve("bundle.pem"), certificates(anchors));
    Path link = directory.resolve("..data");
    Path staged = directory.resolve("..data_tmp");
    Files.deleteIfExists(staged);
    Files.createSymbolicLink(staged, next.getFileName());
    Files.move(staged, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (version > 2) {
      deleteVersion(directory.resolve("..v" + (version - 2)));
    }
  }

  private static void deleteVersion(Path old) throws IOException {
    if (Files.isDirectory(old)) {
      for (String file : List.of("key.pem", "chain.pem", "bundle.pem")) {
        Files.deleteIfExists(old.resolve(file));
      }
      Files.deleteIfExists(old);
    }
  }

  static String certificates(List<X509Certificate> certificates) {
    StringBuilder text = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        text.append(block("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(
            "cannot encode " + certificate.getSubjectX500Principal(), e);
      }
    }
    return text.toString();
  }

  static String privateKey(PrivateKey key) {
    Objects.requireNonNull(key.getEncoded(), "the key has no PKCS#8 encoding");
    return block("PRIVATE KEY", key.getEncoded());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + new String(PEM.encode(der), StandardCharsets.US_ASCII)
        + "\n-----END "
        + type
        + "-----\n";
  }

  /** Whether {@code certificate} was signed by {@code root}'s key. */
  static boolean issuedBy(X509Certificate certificate, X509Certificate root) {
    try {
      certificate.verify(root.getPublicKey());
      return true;
    } catch (java.security.GeneralSecurityException e) {
      return false;
    }
  }

  /** Both anchors, old first. */
  static List<X509Certificate> both(BuiltInCa first, BuiltInCa second) {
    List<X509Certificate> anchors = new ArrayList<>();
    anchors.add(first.rootCertificate());
    anchors.add(second.rootCertificate());
    return anchors;
  }

  @Override
  public void close() {
    source.close();
  }
}

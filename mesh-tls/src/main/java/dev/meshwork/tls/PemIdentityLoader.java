package dev.meshwork.tls;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.FileVersion;
import dev.meshwork.tls.SvidRejectedException.Reason;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.Keys;
import dev.meshwork.tls.internal.Pem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one read of a key file, a chain file and a trust bundle file into an {@link
 * IssuedIdentity}, or refuses with a {@link MeshConfigException} whose field and value name the
 * file at fault and whose message says what was wrong with it. Nothing of the key is ever put in a
 * message.
 */
final class PemIdentityLoader {
  /** The field name of the private key file in messages. */
  public static final String KEY_FILE = "key file";

  /** The field name of the certificate chain file in messages. */
  public static final String CHAIN_FILE = "certificate chain file";

  /** The field name of the trust bundle file in messages. */
  public static final String BUNDLE_FILE = "trust bundle file";

  private static final int MIN_RSA_BITS = 2048;

  private PemIdentityLoader() {}

  /**
   * The file's content as text; {@link MeshConfigException} naming {@code field} if it was
   * unreadable.
   */
  private static String text(FileVersion file, String field) {
    try {
      // Latin-1 maps every byte, so garbage reaches the PEM parser (and its clear error) intact.
      return new String(file.content(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new MeshConfigException(
          field, file.path(), "a readable file (" + file.problem().orElse(e.toString()) + ")");
    }
  }

  /**
   * Parses and checks the three files at {@code now}.
   *
   * @param trustDomain the trust domain the identity must be in, or null to take the leaf's
   */
  public static IssuedIdentity load(
      FileVersion keyFile,
      FileVersion chainFile,
      FileVersion bundleFile,
      TrustDomain trustDomain,
      Instant now) {
    Path keyPath = keyFile.path();
    Path chainPath = chainFile.path();
    Path bundlePath = bundleFile.path();
    PrivateKey key = Pem.parsePrivateKey(text(keyFile, KEY_FILE), KEY_FILE, keyPath);
    checkKeyType(key, keyPath);
    List<X509Certificate> chain =
        Pem.parseCertificates(text(chainFile, CHAIN_FILE), CHAIN_FILE, chainPath);
    List<X509Certificate> anchors =
        Pem.parseCertificates(text(bundleFile, BUNDLE_FILE), BUNDLE_FILE, bundlePath);

    X509Certificate leaf = chain.get(0);
    SpiffeId id = leafIdentity(leaf, chainPath);
    if (!Keys.matches(key, leaf.getPublicKey())) {
      throw new MeshConfigException(
          KEY_FILE,
          keyPath,
          "the private key of the leaf "
              + Certificates.describe(leaf)
              + " in "
              + chainPath
              + " (it is the key of another"
              + " certificate)");
    }
    for (int i = 0; i < chain.size(); i++) {
      X509Certificate certificate = chain.get(i);
      if (!now.isBefore(certificate.getNotAfter().toInstant())) {
        throw new MeshConfigException(
            CHAIN_FILE,
            chainPath,
            "certificates that are still valid ("
                + (i == 0 ? "the leaf " : "certificate #" + i + " ")
                + Certificates.describe(certificate)
                + " expired at "
                + certificate.getNotAfter().toInstant()
                + "; now is "
                + now
                + ")");
      }
    }
    TrustDomain domain = trustDomain == null ? id.trustDomain() : trustDomain;
    if (!id.isMemberOf(domain)) {
      throw new MeshConfigException(
          CHAIN_FILE,
          chainPath,
          "a leaf in the configured trust domain '" + domain + "' (its SPIFFE ID is '" + id + "')");
    }
    TrustBundle bundle = bundle(domain, anchors, bundlePath);
    checkChainLeadsToBundle(chain, bundle, chainPath, bundlePath, now);
    return IssuedIdentity.of(key, chain, bundle);
  }

  private static void checkKeyType(PrivateKey key, Path keyPath) {
    String algorithm = key.getAlgorithm();
    if (!algorithm.equals("EC") && !algorithm.equals("RSA")) {
      throw new MeshConfigException(
          KEY_FILE, keyPath, "an EC or RSA private key (found a key of type " + algorithm + ")");
    }
    if (key instanceof RSAKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new MeshConfigException(
          KEY_FILE,
          keyPath,
          "an RSA key of at least "
              + MIN_RSA_BITS
              + " bits (found "
              + rsa.getModulus().bitLength()
              + " bits)");
    }
  }

  private static SpiffeId leafIdentity(X509Certificate leaf, Path chainPath) {
    try {
      SpiffeId id = SvidChecks.identityOf(leaf);
      try {
        SvidChecks.checkLeaf(leaf, PeerRole.SERVER);
      } catch (SvidRejectedException e) {
        if (e.reason() != Reason.WRONG_EXTENDED_KEY_USAGE) {
          throw e;
        }
        SvidChecks.checkLeaf(leaf, PeerRole.CLIENT); // a client-only certificate is usable
      }
      return id;
    } catch (SvidRejectedException e) {
      throw new MeshConfigException(
          CHAIN_FILE,
          chainPath,
          "an X.509-SVID as the first certificate [" + e.reason() + "]: " + detail(e));
    }
  }

  private static TrustBundle bundle(TrustDomain domain, List<X509Certificate> anchors, Path path) {
    for (X509Certificate anchor : anchors) {
      if (!Certificates.isCa(anchor)) {
        throw new MeshConfigException(
            BUNDLE_FILE,
            path,
            "only CA certificates (basic"
                + " constraints cA=true), but "
                + Certificates.describe(anchor)
                + " is not one");
      }
    }
    return TrustBundle.of(domain, anchors);
  }

  private static void checkChainLeadsToBundle(
      List<X509Certificate> chain,
      TrustBundle bundle,
      Path chainPath,
      Path bundlePath,
      Instant now) {
    List<X509Certificate> path = new ArrayList<>(chain);
    while (path.size() > 1 && bundle.contains(path.get(path.size() - 1))) {
      path.remove(path.size() - 1);
    }
    // A certificate issued a moment ago may start a little after our clock: not an error here.
    Instant at = now;
    for (X509Certificate certificate : path) {
      Instant notBefore = certificate.getNotBefore().toInstant();
      if (notBefore.isAfter(at)) {
        at = notBefore;
      }
    }
    X509Certificate anchor;
    try {
      for (int i = 1; i < path.size(); i++) {
        SvidChecks.checkIntermediate(path.get(i), i);
      }
      anchor = PkixChain.validate(path, bundle, at);
    } catch (SvidRejectedException e) {
      throw new MeshConfigException(
          CHAIN_FILE,
          chainPath,
          "a chain that leads to an anchor in "
              + bundlePath
              + " ["
              + e.reason()
              + "]: "
              + detail(e));
    }
    if (!now.isBefore(anchor.getNotAfter().toInstant())) {
      throw new MeshConfigException(
          BUNDLE_FILE,
          bundlePath,
          "a valid anchor for the chain in "
              + chainPath
              + " ("
              + Certificates.describe(anchor)
              + " expired at "
              + anchor.getNotAfter().toInstant()
              + "; now is "
              + now
              + ")");
    }
  }

  private static String detail(SvidRejectedException e) {
    String message = e.getMessage();
    int start = message.indexOf("]: ");
    return start < 0 ? message : message.substring(start + 3);
  }
}

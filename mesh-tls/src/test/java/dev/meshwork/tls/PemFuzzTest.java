package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.internal.Certificates;
import dev.meshwork.tls.internal.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Fuzzes the PEM reader behind every certificate, chain, bundle and key file the mesh loads, and
 * the X.509-SVID checks run on what it returns. A file is either read, and then renders back to PEM
 * that reads the same, or refused with a {@link MeshConfigException} naming the field and the file;
 * a key file's refusal quotes nothing of the file. The SVID checks refuse only with {@link
 * SvidRejectedException}. Seeds (OpenSSL-made): {@code
 * src/test/resources/dev/meshwork/tls/internal/PemFuzzTestInputs}.
 */
class PemFuzzTest {
  private static final String FIELD = PemIdentityLoader.CHAIN_FILE;
  private static final Path FILE = Path.of("/etc/meshwork/chain.pem");
  private static final List<String> KEY_BLOCKS =
      List.of("PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY");
  private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/=]{32,}");

  /** A chain or bundle file's text, read as the loader reads it (every byte a character). */
  @FuzzTest
  void certificates(byte[] input) throws Exception {
    checkCertificates(new String(input, StandardCharsets.ISO_8859_1));
  }

  /** DER bytes in a CERTIFICATE block: the fuzzer works on the certificate, not on base64. */
  @FuzzTest
  void certificateDer(byte[] input) throws Exception {
    checkCertificates(block("CERTIFICATE", input));
  }

  /** A key file's text. */
  @FuzzTest
  void privateKey(byte[] input) {
    checkPrivateKey(new String(input, StandardCharsets.ISO_8859_1));
  }

  /** DER bytes in a key block; the first byte picks PKCS#8, SEC1, PKCS#1 or encrypted PKCS#8. */
  @FuzzTest
  void privateKeyDer(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String type = KEY_BLOCKS.get(Byte.toUnsignedInt(input[0]) % KEY_BLOCKS.size());
    checkPrivateKey(block(type, Arrays.copyOfRange(input, 1, input.length)));
  }

  private static void checkCertificates(String text) throws Exception {
    List<X509Certificate> chain;
    try {
      chain = Pem.parseCertificates(text, FIELD, FILE);
    } catch (MeshConfigException e) {
      assertNamesTheFile(e, FIELD);
      return;
    }
    assertFalse(chain.isEmpty(), "a chain that was read has a certificate");
    assertEquals(chain, Pem.parseCertificates(Pem.certificates(chain), FIELD, FILE), "round trip");

    X509Certificate leaf = chain.get(0);
    assertNotNull(Certificates.describe(leaf));
    try {
      SpiffeId id = SvidChecks.identityOf(leaf);
      assertEquals(id, SpiffeId.parse(id.toString()), "the leaf's SPIFFE ID reads back");
    } catch (SvidRejectedException e) {
      assertNotNull(e.reason(), "a refusal says why");
    }
    for (PeerRole role : PeerRole.values()) {
      try {
        SvidChecks.checkLeaf(leaf, role);
      } catch (SvidRejectedException e) {
        assertNotNull(e.reason(), "a refusal says why");
      }
    }
    for (int i = 1; i < chain.size(); i++) {
      try {
        SvidChecks.checkIntermediate(chain.get(i), i);
      } catch (SvidRejectedException e) {
        assertNotNull(e.reason(), "a refusal says why");
      }
    }
    Certificates.isCa(leaf);
  }

  private static void checkPrivateKey(String text) {
    PrivateKey key;
    try {
      key = Pem.parsePrivateKey(text, PemIdentityLoader.KEY_FILE, FILE);
    } catch (MeshConfigException e) {
      assertNamesTheFile(e, PemIdentityLoader.KEY_FILE);
      // Key material is base64; none of the mesh's own words comes near 32 such characters.
      assertFalse(
          BASE64_RUN.matcher(e.getMessage()).find(),
          "the refusal quotes nothing of the key file: " + e.getMessage());
      return;
    }
    assertNotNull(key.getAlgorithm());
    byte[] encoded = key.getEncoded();
    if (encoded != null) {
      PrivateKey again = Pem.parsePrivateKey(Pem.privateKey(key), PemIdentityLoader.KEY_FILE, FILE);
      assertArrayEquals(encoded, again.getEncoded(), "round trip as PKCS#8");
    }
  }

  private static void assertNamesTheFile(MeshConfigException e, String field) {
    assertEquals(field, e.field());
    assertTrue(
        e.getMessage().startsWith(field + ": '" + FILE + "' is invalid; expected "),
        "the refusal names the field and the file: " + e.getMessage());
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }
}

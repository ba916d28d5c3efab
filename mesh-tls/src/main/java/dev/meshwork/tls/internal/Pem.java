package dev.meshwork.tls.internal;

import dev.meshwork.core.exception.MeshConfigException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * PEM encoding and decoding of certificates and private keys. Errors name the file, what was found
 * and what was expected; they never contain key material.
 */
public final class Pem {
  private static final Base64.Encoder BASE64 =
      Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

  private Pem() {}

  /** PEM text for {@code certificates}, one CERTIFICATE block each. */
  public static String certificates(List<X509Certificate> certificates) {
    StringBuilder out = new StringBuilder();
    for (X509Certificate certificate : certificates) {
      try {
        out.append(block("CERTIFICATE", certificate.getEncoded()));
      } catch (CertificateEncodingException e) {
        throw new IllegalStateException(
            "cannot encode certificate " + Certificates.describe(certificate), e);
      }
    }
    return out.toString();
  }

  /** PEM text for {@code key} as an unencrypted PKCS#8 PRIVATE KEY block. */
  public static String privateKey(PrivateKey key) {
    return block("PRIVATE KEY", key.getEncoded());
  }

  /** The certificates in {@code file}, in order; at least one. */
  public static List<X509Certificate> readCertificates(Path file, String field) throws IOException {
    return parseCertificates(read(file, field), field, file);
  }

  /**
   * The certificates in {@code text}, in order; at least one. {@code field} and {@code file} (where
   * the text came from) name it in errors.
   */
  public static List<X509Certificate> parseCertificates(String text, String field, Object file) {
    List<Object> objects = parse(text, field, file, "PEM certificates");
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    for (Object object : objects) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new MeshConfigException(
            field, file, "only CERTIFICATE blocks (found " + kind(object) + ")");
      }
      try {
        certificates.add(converter.getCertificate(holder));
      } catch (CertificateException e) {
        throw new MeshConfigException(
            field, file, "valid X.509 certificates (" + e.getMessage() + ")");
      }
    }
    if (certificates.isEmpty()) {
      throw new MeshConfigException(field, file, "at least one CERTIFICATE block (found none)");
    }
    return certificates;
  }

  /** The single unencrypted private key in {@code file} (PKCS#8 or SEC1 "EC PRIVATE KEY"). */
  public static PrivateKey readPrivateKey(Path file, String field) throws IOException {
    return parsePrivateKey(read(file, field), field, file);
  }

  /**
   * The single unencrypted private key in {@code text} (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1
   * "RSA PRIVATE KEY"). Errors name {@code field} and {@code file} and quote nothing of it.
   */
  public static PrivateKey parsePrivateKey(String text, String field, Object file) {
    List<Object> objects = parse(text, field, file, "a PEM private key");
    if (objects.size() != 1) {
      throw new MeshConfigException(
          field, file, "exactly one PEM private key block (found " + objects.size() + " blocks)");
    }
    Object object = objects.get(0);
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
    } catch (IOException e) {
      throw new MeshConfigException(
          field, file, "a private key of a supported type (" + e.getMessage() + ")");
    }
    if (object instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new MeshConfigException(
          field, file, "an unencrypted private key (found an encrypted one)");
    }
    throw new MeshConfigException(field, file, "a private key (found " + kind(object) + ")");
  }

  private static String read(Path file, String field) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new IOException("cannot read " + field + " " + file + ": " + e, e);
    }
  }

  private static List<Object> parse(String text, String field, Object file, String expected) {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser = new PEMParser(new StringReader(text))) {
      for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      // The parser's message may quote the malformed block; of a key file, show nothing of it.
      throw new MeshConfigException(field, file, expected + " (the PEM is malformed)");
    }
    if (objects.isEmpty()) {
      throw new MeshConfigException(field, file, expected + " (found no PEM block)");
    }
    return objects;
  }

  private static String kind(Object object) {
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    return "a " + object.getClass().getSimpleName();
  }

  private static String block(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + new String(BASE64.encode(der), StandardCharsets.US_ASCII)
        + "\n-----END "
        + type
        + "-----\n";
  }
}

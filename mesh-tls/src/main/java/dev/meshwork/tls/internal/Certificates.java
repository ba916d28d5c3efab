package dev.meshwork.tls.internal;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Small read-only helpers over JDK certificates: descriptions for messages, SAN extraction. */
public final class Certificates {
  /** OID of the subject alternative name extension. */
  public static final String SUBJECT_ALT_NAME = "2.5.29.17";

  /** OID of the extended key usage serverAuth purpose. */
  public static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";

  /** OID of the extended key usage clientAuth purpose. */
  public static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  private static final int SAN_URI = 6;

  private Certificates() {}

  /** "subject 'CN=x' serial 0x1f": enough to find the certificate, nothing secret. */
  public static String describe(X509Certificate certificate) {
    return "subject '"
        + certificate.getSubjectX500Principal().getName()
        + "' serial 0x"
        + certificate.getSerialNumber().toString(16);
  }

  /** The URI entries of the subject alternative names, empty when there are none. */
  public static List<String> uriSans(X509Certificate certificate)
      throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    List<String> uris = new ArrayList<>();
    if (names == null) {
      return uris;
    }
    for (List<?> name : names) {
      if (name.size() >= 2 && Integer.valueOf(SAN_URI).equals(name.get(0))) {
        uris.add(String.valueOf(name.get(1)));
      }
    }
    return uris;
  }

  /** True when the certificate has a subject alternative name extension at all. */
  public static boolean hasSubjectAltNames(X509Certificate certificate) {
    return certificate.getExtensionValue(SUBJECT_ALT_NAME) != null;
  }

  /** True when {@code certificate} is a CA per basic constraints. */
  public static boolean isCa(X509Certificate certificate) {
    return certificate.getBasicConstraints() >= 0;
  }
}

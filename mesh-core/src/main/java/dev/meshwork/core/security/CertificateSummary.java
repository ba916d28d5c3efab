package dev.meshwork.core.security;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * The public facts of one X.509 certificate, as the admin view shows them.
 *
 * @param subject the subject's distinguished name (RFC 2253)
 * @param issuer the issuer's distinguished name (RFC 2253)
 * @param serialNumber the serial number in lower-case hexadecimal
 * @param notBefore when it starts being valid
 * @param notAfter when it stops being valid
 */
public record CertificateSummary(
    String subject, String issuer, String serialNumber, Instant notBefore, Instant notAfter) {

  public CertificateSummary {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialNumber, "serialNumber");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /** The summary of {@code certificate}. */
  public static CertificateSummary of(X509Certificate certificate) {
    return new CertificateSummary(
        certificate.getSubjectX500Principal().getName(),
        certificate.getIssuerX500Principal().getName(),
        certificate.getSerialNumber().toString(16),
        certificate.getNotBefore().toInstant(),
        certificate.getNotAfter().toInstant());
  }
}

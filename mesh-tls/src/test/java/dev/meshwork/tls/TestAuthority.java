package dev.meshwork.tls;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * A CA for tests: a certificate and its keys, with presets for well-formed children that a test
 * then breaks one property at a time.
 */
record TestAuthority(X509Certificate certificate, KeyPair keys, Instant now) {

  /** A self-signed root CA valid from a day before {@code now} for a year. */
  static TestAuthority root(String commonName, Instant now) {
    return fromBuilder(rootBuilder(commonName, now), now);
  }

  /** The builder behind {@link #root}, to vary. */
  static CertBuilder rootBuilder(String commonName, Instant now) {
    return new CertBuilder(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)))
        .subject("O=Test, CN=" + commonName)
        .basicConstraints(true, new BasicConstraints(true))
        .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  static TestAuthority fromBuilder(CertBuilder builder, Instant now) {
    return new TestAuthority(builder.build(), builder.subjectKeys(), now);
  }

  /** A well-formed intermediate CA preset signed by this authority. */
  CertBuilder intermediateBuilder(String commonName) {
    return new CertBuilder(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(180)))
        .issuer(this)
        .subject("O=Test, CN=" + commonName)
        .basicConstraints(true, new BasicConstraints(true))
        .keyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
  }

  TestAuthority intermediate(String commonName) {
    return fromBuilder(intermediateBuilder(commonName), now);
  }

  /** A well-formed X.509-SVID preset for {@code spiffeId}, signed by this authority. */
  CertBuilder leafBuilder(String spiffeId) {
    return selfSignedLeafBuilder(spiffeId, now).issuer(this);
  }

  /** The same preset as {@link #leafBuilder}, but self-signed. */
  static CertBuilder selfSignedLeafBuilder(String spiffeId, Instant now) {
    return new CertBuilder(now.minus(Duration.ofHours(1)), now.plus(Duration.ofHours(23)))
        .subject("O=Test")
        .basicConstraints(true, new BasicConstraints(false))
        .keyUsage(KeyUsage.digitalSignature)
        .extendedKeyUsage(KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth)
        .uriSans(spiffeId);
  }
}

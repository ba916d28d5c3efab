package dev.meshwork.tls;

import dev.meshwork.tls.internal.Keys;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds the built-in CA's certificates with BouncyCastle: a self-signed P-256 root and workload
 * X.509-SVIDs, with exactly the extensions the SPIFFE X.509-SVID standard asks for.
 */
final class SvidIssuance {
  private SvidIssuance() {}

  /** A random positive serial of (at most) 128 bits, as RFC 5280 and CA/B practice suggest. */
  public static BigInteger randomSerial(SecureRandom random) {
    BigInteger serial;
    do {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  /**
   * A self-signed root: CA with path length 0 (it signs leaves directly), key usage keyCertSign and
   * cRLSign, and the trust domain's own SPIFFE ID as URI SAN so a saved root says which trust
   * domain it serves.
   */
  public static X509Certificate root(
      KeyPair keys,
      TrustDomain trustDomain,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter) {
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Meshwork")
            .addRDN(BCStyle.OU, trustDomain.name())
            .addRDN(BCStyle.CN, "Meshwork CA " + String.format("%032x", serial).substring(0, 8))
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, serial, Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(
          Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier,
          false,
          utils.createSubjectKeyIdentifier(keys.getPublic()));
      builder.addExtension(
          Extension.subjectAlternativeName, false, uriSan(trustDomain.id().toString()));
      return sign(builder, keys.getPrivate());
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the CA root certificate", e);
    }
  }

  /**
   * A workload leaf: one URI SAN (the SPIFFE ID), not a CA (critical), key usage digitalSignature
   * (critical), extended key usage serverAuth and clientAuth, subject and authority key
   * identifiers.
   */
  public static X509Certificate leaf(
      PublicKey subjectKey,
      SpiffeId id,
      X509Certificate issuer,
      PrivateKey issuerKey,
      BigInteger serial,
      Instant notBefore,
      Instant notAfter) {
    // No CN: the identity lives only in the URI SAN, so nobody is tempted to read a CN.
    X500Name subject =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Meshwork")
            .addRDN(BCStyle.OU, id.trustDomain().name())
            .build();
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(
          Extension.extendedKeyUsage,
          false,
          new ExtendedKeyUsage(
              new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      builder.addExtension(Extension.subjectAlternativeName, false, uriSan(id.toString()));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(issuer, utils));
      return sign(builder, issuerKey);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot build the certificate for " + id, e);
    }
  }

  /** The issuer's own subject key identifier if it has one, else one computed from its key. */
  private static AuthorityKeyIdentifier authorityKeyIdentifier(
      X509Certificate issuer, JcaX509ExtensionUtils utils) throws CertIOException {
    byte[] extension = issuer.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    if (extension == null) {
      return utils.createAuthorityKeyIdentifier(issuer.getPublicKey());
    }
    byte[] keyId =
        SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
            .getKeyIdentifier();
    return new AuthorityKeyIdentifier(keyId);
  }

  private static GeneralNames uriSan(String uri) {
    return new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri));
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(Keys.SIGNATURE_ALGORITHM).build(key)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with the CA key", e);
    }
  }
}

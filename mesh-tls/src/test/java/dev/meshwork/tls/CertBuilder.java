package dev.meshwork.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Builds any certificate a test needs, well-formed or hostile: arbitrary subject, issuer, validity,
 * key, signing key and extensions (each replaceable or removable).
 */
final class CertBuilder {
  private static final AtomicLong SERIALS = new AtomicLong(1000);

  private X500Name subject = new X500Name("O=Test");
  private X500Name issuerName;
  private X509Certificate issuerCertificate;
  private PrivateKey signingKey;
  private KeyPair subjectKeys = newEcKeys();
  private Instant notBefore;
  private Instant notAfter;
  private BigInteger serial = BigInteger.valueOf(SERIALS.incrementAndGet());
  private String signatureAlgorithm = "SHA256withECDSA";
  private final Map<ASN1ObjectIdentifier, Extension> extensions = new LinkedHashMap<>();
  private boolean authorityKeyId = true;

  CertBuilder(Instant notBefore, Instant notAfter) {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
  }

  static KeyPair newEcKeys() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  static KeyPair newRsaKeys(int bits) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new AssertionError(e);
    }
  }

  /** Signed by {@code issuer}'s key, with its subject as issuer name and its SKI as AKI. */
  CertBuilder issuer(TestAuthority issuer) {
    this.issuerName =
        X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    this.issuerCertificate = issuer.certificate();
    this.signingKey = issuer.keys().getPrivate();
    return this;
  }

  /** Overrides the key that signs, keeping issuer name and AKI: a forged signature. */
  CertBuilder signWith(PrivateKey key) {
    this.signingKey = key;
    return this;
  }

  CertBuilder subject(String name) {
    this.subject = new X500Name(name);
    return this;
  }

  CertBuilder keys(KeyPair keys) {
    this.subjectKeys = keys;
    return this;
  }

  CertBuilder validity(Instant notBefore, Instant notAfter) {
    this.notBefore = notBefore;
    this.notAfter = notAfter;
    return this;
  }

  CertBuilder serial(BigInteger serial) {
    this.serial = serial;
    return this;
  }

  CertBuilder signatureAlgorithm(String algorithm) {
    this.signatureAlgorithm = algorithm;
    return this;
  }

  /** Adds or replaces the extension {@code oid}. */
  CertBuilder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
    try {
      extensions.put(oid, new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    return this;
  }

  CertBuilder without(ASN1ObjectIdentifier oid) {
    extensions.remove(oid);
    if (oid.equals(Extension.authorityKeyIdentifier)) {
      authorityKeyId = false;
    }
    return this;
  }

  CertBuilder basicConstraints(boolean critical, BasicConstraints value) {
    return extension(Extension.basicConstraints, critical, value);
  }

  CertBuilder keyUsage(int bits) {
    return extension(Extension.keyUsage, true, new KeyUsage(bits));
  }

  CertBuilder extendedKeyUsage(KeyPurposeId... purposes) {
    return extension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
  }

  CertBuilder uriSans(String... uris) {
    GeneralName[] names = new GeneralName[uris.length];
    for (int i = 0; i < uris.length; i++) {
      names[i] = new GeneralName(GeneralName.uniformResourceIdentifier, uris[i]);
    }
    return sans(names);
  }

  CertBuilder sans(GeneralName... names) {
    return extension(Extension.subjectAlternativeName, false, new GeneralNames(names));
  }

  KeyPair subjectKeys() {
    return subjectKeys;
  }

  X509Certificate build() {
    try {
      boolean selfSigned = issuerName == null;
      X500Name issuer = selfSigned ? subject : issuerName;
      PrivateKey key = selfSigned && signingKey == null ? subjectKeys.getPrivate() : signingKey;
      PublicKey subjectKey = subjectKeys.getPublic();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer, serial, Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      Map<ASN1ObjectIdentifier, Extension> all = new LinkedHashMap<>(extensions);
      all.putIfAbsent(
          Extension.subjectKeyIdentifier,
          new Extension(
              Extension.subjectKeyIdentifier,
              false,
              utils.createSubjectKeyIdentifier(subjectKey).getEncoded()));
      if (authorityKeyId && !selfSigned) {
        all.putIfAbsent(
            Extension.authorityKeyIdentifier,
            new Extension(
                Extension.authorityKeyIdentifier,
                false,
                utils.createAuthorityKeyIdentifier(issuerCertificate.getPublicKey()).getEncoded()));
      }
      for (Extension extension : all.values()) {
        builder.addExtension(extension);
      }
      return new JcaX509CertificateConverter()
          .getCertificate(
              builder.build(new JcaContentSignerBuilder(signatureAlgorithm).build(key)));
    } catch (Exception e) {
      throw new AssertionError("cannot build test certificate", e);
    }
  }
}

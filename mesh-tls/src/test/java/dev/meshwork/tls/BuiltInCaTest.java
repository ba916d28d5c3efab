package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Asserts every property of the built-in CA's certificates on real issued certificates. */
class BuiltInCaTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final SpiffeId MATHOID = SpiffeId.forService(DOMAIN, "default", "mathoid");
  static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  ManualClock clock;
  BuiltInCa ca;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
  }

  @Test
  void leafHasExactlyOneSanTheSpiffeUri() throws Exception {
    X509Certificate leaf = ca.issue(MATHOID).leaf();
    Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
    assertEquals(1, sans.size());
    List<?> san = sans.iterator().next();
    assertEquals(6, san.get(0), "type 6 is URI");
    assertEquals(MATHOID.toString(), san.get(1));
    assertFalse(leaf.getSubjectX500Principal().getName().contains("CN="), "no CN identity");
  }

  @Test
  void leafIsNotACaAndSaysSoCritically() {
    X509Certificate leaf = ca.issue(MATHOID).leaf();
    assertEquals(-1, leaf.getBasicConstraints());
    assertTrue(leaf.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
    byte[] value = leaf.getExtensionValue(Extension.basicConstraints.getId());
    assertNotNull(value, "basic constraints present, not merely absent");
    assertFalse(
        BasicConstraints.getInstance(ASN1OctetString.getInstance(value).getOctets()).isCA());
  }

  @Test
  void leafKeyUsageIsDigitalSignatureOnlyAndCritical() {
    X509Certificate leaf = ca.issue(MATHOID).leaf();
    boolean[] usage = leaf.getKeyUsage();
    assertTrue(usage[0], "digitalSignature");
    for (int i = 1; i < usage.length; i++) {
      assertFalse(usage[i], "no other key usage, bit " + i);
    }
    assertTrue(leaf.getCriticalExtensionOIDs().contains(Extension.keyUsage.getId()));
  }

  @Test
  void leafExtendedKeyUsageIsServerAndClientAuth() throws Exception {
    X509Certificate leaf = ca.issue(MATHOID).leaf();
    assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), leaf.getExtendedKeyUsage());
    assertTrue(leaf.getNonCriticalExtensionOIDs().contains(Extension.extendedKeyUsage.getId()));
  }

  @Test
  void leafHasSubjectAndAuthorityKeyIdentifiers() throws Exception {
    IssuedIdentity identity = ca.issue(MATHOID);
    X509Certificate leaf = identity.leaf();
    X509Certificate root = ca.rootCertificate();
    JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
    assertArrayEquals(
        utils.createSubjectKeyIdentifier(leaf.getPublicKey()).getKeyIdentifier(),
        subjectKeyId(leaf));
    byte[] aki = leaf.getExtensionValue(Extension.authorityKeyIdentifier.getId());
    assertNotNull(aki);
    assertArrayEquals(
        subjectKeyId(root),
        AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(aki).getOctets())
            .getKeyIdentifierOctets());
  }

  @Test
  void serialsAreRandomPositiveAndAtMost128Bits() {
    BigInteger first = ca.issue(MATHOID).leaf().getSerialNumber();
    BigInteger second = ca.issue(MATHOID).leaf().getSerialNumber();
    for (BigInteger serial : List.of(first, second)) {
      assertEquals(1, serial.signum());
      assertTrue(serial.bitLength() <= 128, "bits: " + serial.bitLength());
      assertTrue(serial.bitLength() > 64, "random 128-bit serial, got " + serial.bitLength());
    }
    assertNotEquals(first, second);
  }

  @Test
  void leafLivesTwentyFourHoursBackdatedOneMinute() {
    IssuedIdentity identity = ca.issue(MATHOID);
    assertEquals(NOW.minus(Duration.ofMinutes(1)), identity.notBefore());
    assertEquals(NOW.plus(Duration.ofHours(24)), identity.notAfter());
    assertEquals(Duration.ofHours(24), BuiltInCa.DEFAULT_LEAF_LIFETIME);
  }

  @Test
  void validityFollowsTheInjectedClock() {
    clock.advance(Duration.ofDays(100));
    IssuedIdentity identity = ca.issue(MATHOID);
    assertEquals(NOW.plus(Duration.ofDays(100)).minusSeconds(60), identity.notBefore());
  }

  @Test
  void leafLifetimeIsConfigurable() {
    BuiltInCa shortLived =
        BuiltInCa.builder()
            .trustDomain(DOMAIN)
            .clock(clock)
            .leafLifetime(Duration.ofMinutes(5))
            .build();
    assertEquals(NOW.plus(Duration.ofMinutes(5)), shortLived.issue(MATHOID).notAfter());
    assertEquals(NOW.plusSeconds(30), ca.issue(MATHOID, Duration.ofSeconds(30)).notAfter());
  }

  @Test
  void leafNeverOutlivesTheRoot() {
    BuiltInCa young =
        BuiltInCa.builder()
            .trustDomain(DOMAIN)
            .clock(clock)
            .rootLifetime(Duration.ofHours(2))
            .leafLifetime(Duration.ofHours(1))
            .build();
    clock.advance(Duration.ofMinutes(90));
    assertEquals(young.rootCertificate().getNotAfter(), young.issue(MATHOID).leaf().getNotAfter());
  }

  @Test
  void leafKeyIsFreshP256AndSignedByTheRoot() throws Exception {
    IssuedIdentity first = ca.issue(MATHOID);
    IssuedIdentity second = ca.issue(MATHOID);
    X509Certificate leaf = first.leaf();
    assertTrue(leaf.getPublicKey() instanceof ECPublicKey);
    assertEquals(
        256, ((ECPublicKey) leaf.getPublicKey()).getParams().getCurve().getField().getFieldSize());
    assertNotEquals(first.leaf().getPublicKey(), second.leaf().getPublicKey());
    assertEquals("SHA256withECDSA", leaf.getSigAlgName());
    leaf.verify(ca.rootCertificate().getPublicKey());
    assertEquals(ca.rootCertificate().getSubjectX500Principal(), leaf.getIssuerX500Principal());
  }

  @Test
  void rootIsALongLivedP256CaThatOnlySignsCertificates() throws Exception {
    X509Certificate root = ca.rootCertificate();
    assertEquals(0, root.getBasicConstraints(), "CA with path length 0: signs leaves only");
    assertTrue(
        root.getCriticalExtensionOIDs()
            .containsAll(Set.of(Extension.basicConstraints.getId(), Extension.keyUsage.getId())));
    boolean[] usage = root.getKeyUsage();
    assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
    assertFalse(usage[0], "no digitalSignature on the root");
    assertEquals(NOW.plus(Duration.ofDays(3650)), root.getNotAfter().toInstant());
    assertEquals(NOW.minus(Duration.ofMinutes(1)), root.getNotBefore().toInstant());
    root.verify(root.getPublicKey());
    assertEquals(
        DOMAIN.id().toString(), root.getSubjectAlternativeNames().iterator().next().get(1));
    assertTrue(root.getPublicKey() instanceof ECPublicKey);
    assertNotNull(subjectKeyId(root));
  }

  @Test
  void rootLifetimeIsConfigurable() {
    BuiltInCa ca = BuiltInCa.builder().clock(clock).rootLifetime(Duration.ofDays(30)).build();
    assertEquals(NOW.plus(Duration.ofDays(30)), ca.rootCertificate().getNotAfter().toInstant());
    assertEquals(TrustDomain.DEFAULT, ca.trustDomain(), "cluster.local by default");
  }

  @Test
  void issuedIdentityHoldsKeyChainAndAnchors() {
    IssuedIdentity identity = ca.issue(MATHOID);
    assertEquals(MATHOID, identity.spiffeId());
    assertEquals(List.of(identity.leaf()), identity.chain());
    assertEquals(List.of(ca.rootCertificate()), identity.trustAnchors());
    assertEquals(ca.trustBundle(), identity.trustBundle());
    assertEquals("EC", identity.privateKey().getAlgorithm());
    assertThrows(UnsupportedOperationException.class, () -> identity.chain().add(identity.leaf()));
    String text = identity.toString() + ca;
    String key = Base64.getEncoder().encodeToString(identity.privateKey().getEncoded());
    assertFalse(text.contains(key.substring(key.length() - 40)), "no key material in toString");
    assertTrue(identity.toString().contains(MATHOID.toString()));
  }

  @Test
  void issuedIdentityRefusesAKeyOfAnotherCertificate() {
    IssuedIdentity mathoid = ca.issue(MATHOID);
    IssuedIdentity other = ca.issue(SpiffeId.forService(DOMAIN, "default", "restbase"));
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class,
            () -> IssuedIdentity.of(other.privateKey(), mathoid.chain(), ca.trustBundle()));
    assertTrue(
        e.getMessage().startsWith("identity private key: 'EC private key' is invalid"),
        e.getMessage());
  }

  @Test
  void issuedLeafPassesTheVerifier() throws Exception {
    IssuedIdentity identity = ca.issue(MATHOID);
    SpiffeVerifier verifier =
        SpiffeVerifier.builder().trustBundle(ca.trustBundle()).accept(MATHOID).clock(clock).build();
    assertEquals(MATHOID, verifier.verify(identity.chain(), PeerRole.SERVER));
    assertEquals(MATHOID, verifier.verify(identity.chain(), PeerRole.CLIENT));
  }

  @Test
  void refusesIdsItCannotVouchFor() {
    MeshConfigException other =
        assertThrows(
            MeshConfigException.class,
            () -> ca.issue(SpiffeId.parse("spiffe://other.org/ns/default/sa/mathoid")));
    assertTrue(other.getMessage().contains("trust domain 'example.org'"), other.getMessage());
    assertThrows(MeshConfigException.class, () -> ca.issue(DOMAIN.id()));
    assertThrows(MeshConfigException.class, () -> ca.issue(null));
  }

  @Test
  void builderAndIssueValidateDurations() {
    assertDurationRefused("leaf lifetime", BuiltInCa.builder().leafLifetime(Duration.ZERO));
    assertDurationRefused("leaf lifetime", BuiltInCa.builder().leafLifetime(Duration.ofHours(-1)));
    assertDurationRefused("leaf lifetime", BuiltInCa.builder().leafLifetime(null));
    assertDurationRefused("root lifetime", BuiltInCa.builder().rootLifetime(Duration.ZERO));
    MeshConfigException longer =
        assertThrows(
            MeshConfigException.class,
            () ->
                BuiltInCa.builder()
                    .rootLifetime(Duration.ofHours(1))
                    .leafLifetime(Duration.ofHours(2))
                    .build());
    assertTrue(longer.getMessage().contains("at most the root lifetime"), longer.getMessage());
    MeshConfigException zero =
        assertThrows(MeshConfigException.class, () -> ca.issue(MATHOID, Duration.ZERO));
    assertTrue(zero.getMessage().startsWith("leaf lifetime: 'PT0S' is invalid"), zero.getMessage());
    assertThrows(MeshConfigException.class, () -> BuiltInCa.builder().clock(null).build());
  }

  private static void assertDurationRefused(String field, BuiltInCa.Builder builder) {
    MeshConfigException e = assertThrows(MeshConfigException.class, builder::build);
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    assertTrue(e.getMessage().contains("a positive duration"), e.getMessage());
  }

  private static byte[] subjectKeyId(X509Certificate certificate) {
    byte[] value = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
    assertNotNull(value, "subject key identifier present");
    return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets())
        .getKeyIdentifier();
  }
}

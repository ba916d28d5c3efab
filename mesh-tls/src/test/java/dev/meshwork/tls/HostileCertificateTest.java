package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.tls.SvidRejectedException.Reason;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile certificates, each well-formed except for one property, each refused for exactly that
 * reason. {@link #baselineLeafIsAccepted()} proves the unbroken preset passes, so every rejection
 * below is caused by the one thing each test breaks.
 */
class HostileCertificateTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final String ID = "spiffe://example.org/ns/default/sa/mathoid";

  ManualClock clock;
  TestAuthority root;
  SpiffeVerifier verifier;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    root = TestAuthority.root("Test Root", NOW);
    verifier = verifierFor(root);
  }

  SpiffeVerifier verifierFor(TestAuthority anchor) {
    return SpiffeVerifier.builder()
        .trustBundle(TrustBundle.of(DOMAIN, anchor.certificate()))
        .accept(SpiffeId.parse(ID))
        .clock(clock)
        .build();
  }

  SvidRejectedException assertRejected(Reason reason, PeerRole role, X509Certificate... chain) {
    return assertRejected(verifier, reason, role, chain);
  }

  static SvidRejectedException assertRejected(
      SpiffeVerifier verifier, Reason reason, PeerRole role, X509Certificate... chain) {
    SvidRejectedException e =
        assertThrows(SvidRejectedException.class, () -> verifier.verify(List.of(chain), role));
    assertEquals(reason, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("[" + reason + "]"), e.getMessage());
    return e;
  }

  SvidRejectedException assertRejected(Reason reason, X509Certificate... chain) {
    return assertRejected(reason, PeerRole.SERVER, chain);
  }

  @Test
  void baselineLeafIsAccepted() throws Exception {
    X509Certificate leaf = root.leafBuilder(ID).build();
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.SERVER));
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.CLIENT));
    TestAuthority intermediate = root.intermediate("Intermediate");
    X509Certificate underIntermediate = intermediate.leafBuilder(ID).build();
    assertEquals(
        SpiffeId.parse(ID),
        verifier.verify(List.of(underIntermediate, intermediate.certificate()), PeerRole.SERVER));
  }

  // --- time -------------------------------------------------------------------------------

  @Test
  void expiredLeaf() {
    X509Certificate leaf =
        root.leafBuilder(ID).validity(NOW.minus(Duration.ofDays(2)), NOW.minusSeconds(1)).build();
    SvidRejectedException e = assertRejected(Reason.EXPIRED, leaf);
    assertTrue(e.getMessage().contains("leaf") && e.getMessage().contains("expired at"));
  }

  @Test
  void notYetValidLeaf() {
    X509Certificate leaf =
        root.leafBuilder(ID).validity(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(1))).build();
    assertRejected(Reason.NOT_YET_VALID, leaf);
  }

  @Test
  void expiredIntermediate() {
    TestAuthority intermediate =
        TestAuthority.fromBuilder(
            root.intermediateBuilder("Old Intermediate")
                .validity(NOW.minus(Duration.ofDays(30)), NOW.minusSeconds(1)),
            NOW);
    X509Certificate leaf = intermediate.leafBuilder(ID).build();
    SvidRejectedException e = assertRejected(Reason.EXPIRED, leaf, intermediate.certificate());
    assertTrue(e.getMessage().contains("intermediate #1"), e.getMessage());
  }

  @Test
  void leafUnderExpiredAnchor() {
    TestAuthority expiredRoot =
        TestAuthority.fromBuilder(
            TestAuthority.rootBuilder("Expired Root", NOW)
                .validity(NOW.minus(Duration.ofDays(365)), NOW.minusSeconds(1)),
            NOW);
    X509Certificate leaf = expiredRoot.leafBuilder(ID).build();
    SvidRejectedException e =
        assertRejected(verifierFor(expiredRoot), Reason.EXPIRED, PeerRole.SERVER, leaf);
    assertTrue(e.getMessage().contains("trust anchor"), e.getMessage());
  }

  // --- trust ------------------------------------------------------------------------------

  @Test
  void selfSignedLeaf() {
    X509Certificate leaf = TestAuthority.selfSignedLeafBuilder(ID, NOW).build();
    assertRejected(Reason.UNTRUSTED_ROOT, leaf);
  }

  @Test
  void leafFromAnotherCa() {
    TestAuthority stranger = TestAuthority.root("Stranger Root", NOW);
    SvidRejectedException e =
        assertRejected(Reason.UNTRUSTED_ROOT, stranger.leafBuilder(ID).build());
    assertTrue(e.getMessage().contains("example.org"), e.getMessage());
  }

  @Test
  void forgedSignatureUnderTrustedIssuerName() {
    X509Certificate leaf =
        root.leafBuilder(ID).signWith(CertBuilder.newEcKeys().getPrivate()).build();
    assertRejected(Reason.BAD_SIGNATURE, leaf);
  }

  @Test
  void intermediateThatDidNotSignTheLeaf() {
    TestAuthority intermediate = root.intermediate("Unrelated Intermediate");
    X509Certificate leaf = root.leafBuilder(ID).build();
    assertRejected(Reason.CHAIN_INVALID, leaf, intermediate.certificate());
  }

  @Test
  void chainLongerThanPathLengthAllows() {
    TestAuthority strictRoot =
        TestAuthority.fromBuilder(
            TestAuthority.rootBuilder("Path Length 0 Root", NOW)
                .basicConstraints(true, new BasicConstraints(0)),
            NOW);
    TestAuthority intermediate = strictRoot.intermediate("Forbidden Intermediate");
    X509Certificate leaf = intermediate.leafBuilder(ID).build();
    assertRejected(
        verifierFor(strictRoot),
        Reason.PATH_TOO_LONG,
        PeerRole.SERVER,
        leaf,
        intermediate.certificate());
  }

  @Test
  void chainLongerThanIntermediatePathLengthAllows() {
    TestAuthority strictIntermediate =
        TestAuthority.fromBuilder(
            root.intermediateBuilder("Path Length 0 Intermediate")
                .basicConstraints(true, new BasicConstraints(0)),
            NOW);
    TestAuthority second = strictIntermediate.intermediate("Forbidden Second Intermediate");
    X509Certificate leaf = second.leafBuilder(ID).build();
    assertRejected(
        Reason.PATH_TOO_LONG, leaf, second.certificate(), strictIntermediate.certificate());
  }

  @Test
  void unknownCriticalExtension() {
    X509Certificate leaf =
        root.leafBuilder(ID)
            .extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55555.1"), true, DERNull.INSTANCE)
            .build();
    assertRejected(Reason.UNSUPPORTED_CRITICAL_EXTENSION, leaf);
  }

  @Test
  void weakRsa512Key() {
    X509Certificate leaf = root.leafBuilder(ID).keys(CertBuilder.newRsaKeys(512)).build();
    assertRejected(Reason.WEAK_ALGORITHM, leaf);
  }

  @Test
  void emptyChain() {
    assertRejected(Reason.EMPTY_CHAIN);
  }

  // --- identity ---------------------------------------------------------------------------

  @Test
  void commonNameOnly() {
    X509Certificate leaf =
        root.leafBuilder(ID).without(Extension.subjectAlternativeName).subject("CN=" + ID).build();
    SvidRejectedException e = assertRejected(Reason.CN_ONLY, leaf);
    assertTrue(e.getMessage().contains("no CN fallback"), e.getMessage());
  }

  @Test
  void noSubjectAlternativeNamesAtAll() {
    X509Certificate leaf = root.leafBuilder(ID).without(Extension.subjectAlternativeName).build();
    assertRejected(Reason.NO_URI_SAN, leaf);
  }

  @Test
  void dnsSanOnly() {
    X509Certificate leaf =
        root.leafBuilder(ID)
            .sans(new GeneralName(GeneralName.dNSName, "mathoid.example.org"))
            .build();
    assertRejected(Reason.NO_URI_SAN, leaf);
  }

  @Test
  void twoUriSans() {
    X509Certificate leaf =
        root.leafBuilder(ID).uriSans(ID, "spiffe://example.org/ns/default/sa/restbase").build();
    SvidRejectedException e = assertRejected(Reason.MULTIPLE_URI_SANS, leaf);
    assertTrue(e.getMessage().contains("restbase"), e.getMessage());
  }

  @Test
  void httpsUriSan() {
    X509Certificate leaf = root.leafBuilder(ID).uriSans("https://mathoid.example.org/").build();
    assertRejected(Reason.NOT_SPIFFE_URI, leaf);
  }

  @Test
  void uppercaseTrustDomainInSan() {
    X509Certificate leaf =
        root.leafBuilder(ID).uriSans("spiffe://Example.org/ns/default/sa/mathoid").build();
    SvidRejectedException e = assertRejected(Reason.INVALID_SPIFFE_ID, leaf);
    assertTrue(e.getMessage().contains("lowercase"), e.getMessage());
  }

  @Test
  void trustDomainIdAsLeaf() {
    X509Certificate leaf = root.leafBuilder(ID).uriSans("spiffe://example.org").build();
    SvidRejectedException e = assertRejected(Reason.INVALID_SPIFFE_ID, leaf);
    assertTrue(e.getMessage().contains("empty path"), e.getMessage());
  }

  @Test
  void dotSegmentInSanPath() {
    X509Certificate leaf =
        root.leafBuilder(ID).uriSans("spiffe://example.org/ns/../sa/mathoid").build();
    assertRejected(Reason.INVALID_SPIFFE_ID, leaf);
  }

  @Test
  void anotherTrustDomain() {
    X509Certificate leaf =
        root.leafBuilder(ID).uriSans("spiffe://evil.example/ns/default/sa/mathoid").build();
    SvidRejectedException e = assertRejected(Reason.OTHER_TRUST_DOMAIN, leaf);
    assertTrue(e.getMessage().contains("evil.example"), e.getMessage());
  }

  @Test
  void idNotAccepted() {
    X509Certificate leaf =
        root.leafBuilder(ID).uriSans("spiffe://example.org/ns/default/sa/restbase").build();
    SvidRejectedException e = assertRejected(Reason.ID_NOT_ACCEPTED, leaf);
    assertTrue(e.getMessage().contains(ID), "names the accepted IDs: " + e.getMessage());
  }

  // --- leaf constraints -------------------------------------------------------------------

  @Test
  void leafIsCa() {
    X509Certificate leaf =
        root.leafBuilder(ID).basicConstraints(true, new BasicConstraints(true)).build();
    assertRejected(Reason.LEAF_IS_CA, leaf);
  }

  @Test
  void noKeyUsage() {
    X509Certificate leaf = root.leafBuilder(ID).without(Extension.keyUsage).build();
    assertRejected(Reason.MISSING_KEY_USAGE, leaf);
  }

  @Test
  void keyUsageWithoutDigitalSignature() {
    X509Certificate leaf = root.leafBuilder(ID).keyUsage(KeyUsage.keyEncipherment).build();
    assertRejected(Reason.MISSING_DIGITAL_SIGNATURE, leaf);
  }

  @Test
  void leafWithKeyCertSign() {
    X509Certificate leaf =
        root.leafBuilder(ID).keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).build();
    SvidRejectedException e = assertRejected(Reason.LEAF_CAN_SIGN_CERTIFICATES, leaf);
    assertTrue(e.getMessage().contains("keyCertSign"), e.getMessage());
  }

  @Test
  void leafWithCrlSign() {
    X509Certificate leaf =
        root.leafBuilder(ID).keyUsage(KeyUsage.digitalSignature | KeyUsage.cRLSign).build();
    SvidRejectedException e = assertRejected(Reason.LEAF_CAN_SIGN_CERTIFICATES, leaf);
    assertTrue(e.getMessage().contains("cRLSign"), e.getMessage());
  }

  @Test
  void clientOnlyEkuPresentedByServer() {
    X509Certificate leaf =
        root.leafBuilder(ID).extendedKeyUsage(KeyPurposeId.id_kp_clientAuth).build();
    SvidRejectedException e =
        assertRejected(Reason.WRONG_EXTENDED_KEY_USAGE, PeerRole.SERVER, leaf);
    assertTrue(e.getMessage().contains("serverAuth"), e.getMessage());
  }

  @Test
  void serverOnlyEkuPresentedByClient() {
    X509Certificate leaf =
        root.leafBuilder(ID).extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).build();
    SvidRejectedException e =
        assertRejected(Reason.WRONG_EXTENDED_KEY_USAGE, PeerRole.CLIENT, leaf);
    assertTrue(e.getMessage().contains("clientAuth"), e.getMessage());
  }

  @Test
  void codeSigningEku() {
    X509Certificate leaf =
        root.leafBuilder(ID).extendedKeyUsage(KeyPurposeId.id_kp_codeSigning).build();
    assertRejected(Reason.WRONG_EXTENDED_KEY_USAGE, PeerRole.SERVER, leaf);
  }

  // --- intermediates ----------------------------------------------------------------------

  @Test
  void intermediateMarkedNotCa() {
    TestAuthority fake =
        TestAuthority.fromBuilder(
            root.intermediateBuilder("Not A CA")
                .basicConstraints(true, new BasicConstraints(false)),
            NOW);
    assertRejected(Reason.INTERMEDIATE_NOT_CA, fake.leafBuilder(ID).build(), fake.certificate());
  }

  @Test
  void intermediateWithoutBasicConstraints() {
    TestAuthority fake =
        TestAuthority.fromBuilder(
            root.intermediateBuilder("No Constraints").without(Extension.basicConstraints), NOW);
    assertRejected(Reason.INTERMEDIATE_NOT_CA, fake.leafBuilder(ID).build(), fake.certificate());
  }

  @Test
  void intermediateWithoutKeyCertSign() {
    TestAuthority weak =
        TestAuthority.fromBuilder(
            root.intermediateBuilder("Cannot Sign").keyUsage(KeyUsage.digitalSignature), NOW);
    assertRejected(
        Reason.INTERMEDIATE_CANNOT_SIGN, weak.leafBuilder(ID).build(), weak.certificate());
  }
}

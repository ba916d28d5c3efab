package dev.meshwork.tls;

import static dev.meshwork.tls.HostileCertificateTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.SvidRejectedException.Reason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the verifier accepts, anchor rotation, the clock, and its builder's validation. */
class SpiffeVerifierTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final String ID = "spiffe://example.org/ns/default/sa/mathoid";
  static final String OTHER_ID = "spiffe://example.org/ns/canary/sa/mathoid";

  ManualClock clock;
  TestAuthority oldRoot;
  TestAuthority newRoot;

  @BeforeEach
  void setUp() {
    clock = new ManualClock(NOW);
    oldRoot = TestAuthority.root("Old Root", NOW);
    newRoot = TestAuthority.root("New Root", NOW);
  }

  SpiffeVerifier verifier(TrustBundle bundle, String... ids) {
    SpiffeVerifier.Builder builder = SpiffeVerifier.builder().trustBundle(bundle).clock(clock);
    for (String id : ids) {
      builder.accept(SpiffeId.parse(id));
    }
    return builder.build();
  }

  @Test
  void validLeafIsAcceptedAndItsIdReturned() throws Exception {
    SpiffeVerifier verifier = verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()), ID);
    X509Certificate leaf = oldRoot.leafBuilder(ID).build();
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.SERVER));
  }

  @Test
  void chainThatIncludesTheAnchorIsAccepted() throws Exception {
    SpiffeVerifier verifier = verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()), ID);
    TestAuthority intermediate = oldRoot.intermediate("Intermediate");
    X509Certificate leaf = intermediate.leafBuilder(ID).build();
    assertEquals(
        SpiffeId.parse(ID),
        verifier.verify(
            List.of(leaf, intermediate.certificate(), oldRoot.certificate()), PeerRole.CLIENT));
  }

  @Test
  void extendedKeyUsageAndBasicConstraintsAreOptional() throws Exception {
    SpiffeVerifier verifier = verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()), ID);
    X509Certificate leaf =
        oldRoot
            .leafBuilder(ID)
            .without(Extension.extendedKeyUsage)
            .without(Extension.basicConstraints)
            .build();
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.SERVER));
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.CLIENT));
  }

  @Test
  void everyAcceptedIdIsAccepted() throws Exception {
    SpiffeVerifier verifier = verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()), ID, OTHER_ID);
    assertEquals(
        SpiffeId.parse(OTHER_ID),
        verifier.verify(List.of(oldRoot.leafBuilder(OTHER_ID).build()), PeerRole.SERVER));
    assertEquals(Set.of(SpiffeId.parse(ID), SpiffeId.parse(OTHER_ID)), verifier.acceptedIds());
  }

  @Test
  void bothAnchorsOfABundleAreTrusted() throws Exception {
    SpiffeVerifier verifier =
        verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()).with(newRoot.certificate()), ID);
    assertEquals(
        SpiffeId.parse(ID),
        verifier.verify(List.of(oldRoot.leafBuilder(ID).build()), PeerRole.SERVER));
    assertEquals(
        SpiffeId.parse(ID),
        verifier.verify(List.of(newRoot.leafBuilder(ID).build()), PeerRole.SERVER));
  }

  @Test
  void leafUnderARemovedAnchorIsRejected() throws Exception {
    TrustBundle both = TrustBundle.of(DOMAIN, oldRoot.certificate(), newRoot.certificate());
    SpiffeVerifier verifier =
        verifier(both, ID).newBuilder().trustBundle(both.without(oldRoot.certificate())).build();
    assertRejected(
        verifier, Reason.UNTRUSTED_ROOT, PeerRole.SERVER, oldRoot.leafBuilder(ID).build());
    assertEquals(
        SpiffeId.parse(ID),
        verifier.verify(List.of(newRoot.leafBuilder(ID).build()), PeerRole.SERVER));
  }

  @Test
  void validityFollowsTheInjectedClock() throws Exception {
    SpiffeVerifier verifier = verifier(TrustBundle.of(DOMAIN, oldRoot.certificate()), ID);
    X509Certificate leaf = oldRoot.leafBuilder(ID).build(); // valid until NOW + 23 h
    assertEquals(SpiffeId.parse(ID), verifier.verify(List.of(leaf), PeerRole.SERVER));
    clock.advance(Duration.ofHours(23).plusSeconds(1));
    assertRejected(verifier, Reason.EXPIRED, PeerRole.SERVER, leaf);
  }

  @Test
  void identityOfReadsTheSanWithoutVerifying() throws Exception {
    TestAuthority stranger = TestAuthority.root("Stranger", NOW);
    assertEquals(SpiffeId.parse(ID), SpiffeVerifier.identityOf(stranger.leafBuilder(ID).build()));
    SvidRejectedException e =
        assertThrows(
            SvidRejectedException.class,
            () -> SpiffeVerifier.identityOf(stranger.leafBuilder(ID).uriSans("https://x").build()));
    assertEquals(Reason.NOT_SPIFFE_URI, e.reason());
    assertTrue(CertificateException.class.isInstance(e));
  }

  @Test
  void acceptAnyMemberAcceptsEveryWorkloadOfTheTrustDomainAndNothingElse() throws Exception {
    SpiffeVerifier any =
        SpiffeVerifier.builder()
            .trustBundle(TrustBundle.of(DOMAIN, oldRoot.certificate()))
            .acceptAnyMember()
            .clock(clock)
            .build();
    assertTrue(any.acceptsAnyMember());
    assertEquals(Set.of(), any.acceptedIds());
    assertEquals(
        SpiffeId.parse(OTHER_ID),
        any.verify(List.of(oldRoot.leafBuilder(OTHER_ID).build()), PeerRole.CLIENT));
    assertRejected(
        any,
        Reason.OTHER_TRUST_DOMAIN,
        PeerRole.CLIENT,
        oldRoot.leafBuilder("spiffe://other.org/ns/default/sa/mathoid").build());
    assertRejected(any, Reason.UNTRUSTED_ROOT, PeerRole.CLIENT, newRoot.leafBuilder(ID).build());
    assertTrue(any.newBuilder().build().acceptsAnyMember(), "newBuilder keeps the setting");
    assertTrue(any.toString().contains("any ID in 'example.org'"), any.toString());
  }

  @Test
  void builderRequiresBundleAndIdsOfItsTrustDomain() {
    TrustBundle bundle = TrustBundle.of(DOMAIN, oldRoot.certificate());
    MeshConfigException noBundle =
        assertThrows(
            MeshConfigException.class,
            () -> SpiffeVerifier.builder().accept(SpiffeId.parse(ID)).build());
    assertTrue(noBundle.getMessage().startsWith("verifier trust bundle: null is invalid"));
    MeshConfigException noIds =
        assertThrows(
            MeshConfigException.class, () -> SpiffeVerifier.builder().trustBundle(bundle).build());
    assertTrue(noIds.getMessage().contains("at least one ID"), noIds.getMessage());
    MeshConfigException foreign =
        assertThrows(
            MeshConfigException.class,
            () -> verifier(bundle, "spiffe://other.org/ns/default/sa/mathoid"));
    assertTrue(foreign.getMessage().contains("trust domain 'example.org'"), foreign.getMessage());
    assertThrows(MeshConfigException.class, () -> verifier(bundle, "spiffe://example.org"));
  }

  @Test
  void bundleRefusesNonCaAnchorsAndEmptiness() {
    X509Certificate leaf = oldRoot.leafBuilder(ID).build();
    MeshConfigException notCa =
        assertThrows(MeshConfigException.class, () -> TrustBundle.of(DOMAIN, leaf));
    assertTrue(notCa.getMessage().contains("a CA certificate"), notCa.getMessage());
    TrustBundle one = TrustBundle.of(DOMAIN, oldRoot.certificate());
    MeshConfigException empty =
        assertThrows(MeshConfigException.class, () -> one.without(oldRoot.certificate()));
    assertTrue(empty.getMessage().contains("at least one trust anchor"), empty.getMessage());
    assertEquals(1, one.with(oldRoot.certificate()).anchors().size(), "duplicates dropped");
    assertEquals(
        TrustBundle.of(DOMAIN, oldRoot.certificate(), newRoot.certificate()),
        TrustBundle.of(DOMAIN, newRoot.certificate(), oldRoot.certificate()));
  }
}

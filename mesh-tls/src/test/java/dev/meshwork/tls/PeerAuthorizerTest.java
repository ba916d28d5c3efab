package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.tls.PeerNotAuthorizedException.Reason;
import java.lang.reflect.Proxy;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** The allow-list of IDs and trust domains, applied to a session's verified peer. */
class PeerAuthorizerTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  static final TrustDomain PARTNER = TrustDomain.of("partner.example");
  static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");
  static final SpiffeId IMPOSTOR = SpiffeId.forService(DOMAIN, "default", "impostor");
  static final SpiffeId PARTNER_BILLING = SpiffeId.forService(PARTNER, "prod", "billing");

  final TestAuthority root = TestAuthority.root("Root", NOW);
  final PeerAuthorizer authorizer =
      PeerAuthorizer.builder().allow(RESTBASE).allowTrustDomain(PARTNER).build();

  @Test
  void allowsAnExactIdAndAnyIdOfAnAllowedTrustDomain() throws Exception {
    assertEquals(RESTBASE, authorizer.authorize(sessionOf(RESTBASE)));
    assertEquals(PARTNER_BILLING, authorizer.authorize(sessionOf(PARTNER_BILLING)));
    assertTrue(authorizer.isAllowed(SpiffeId.forService(PARTNER, "dev", "anything")));
  }

  @Test
  void deniesAnotherIdNamingItAndTheAllowList() throws Exception {
    PeerNotAuthorizedException e =
        assertThrows(
            PeerNotAuthorizedException.class, () -> authorizer.authorize(sessionOf(IMPOSTOR)));
    assertEquals(Reason.NOT_ALLOWED, e.reason());
    assertEquals(Optional.of(IMPOSTOR), e.peerId());
    assertTrue(e.getMessage().contains("'" + IMPOSTOR + "' is not authorized"), e.getMessage());
    assertTrue(e.getMessage().contains(RESTBASE.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("partner.example"), e.getMessage());
  }

  @Test
  void exactIdsDoNotAllowTheirWholeTrustDomain() {
    PeerAuthorizer onlyRestbase = PeerAuthorizer.builder().allow(RESTBASE).build();
    assertFalse(onlyRestbase.isAllowed(IMPOSTOR));
    assertFalse(onlyRestbase.isAllowed(SpiffeId.forService(DOMAIN, "canary", "restbase")));
    PeerNotAuthorizedException e =
        assertThrows(PeerNotAuthorizedException.class, () -> onlyRestbase.authorize(IMPOSTOR));
    assertTrue(
        e.getMessage().endsWith("it is not one of the allowed IDs [" + RESTBASE + "]"),
        e.getMessage());
  }

  @Test
  void deniesASessionWithoutAClientCertificate() {
    SSLSession anonymous = session(null);
    PeerNotAuthorizedException e =
        assertThrows(PeerNotAuthorizedException.class, () -> authorizer.authorize(anonymous));
    assertEquals(Reason.NO_PEER_CERTIFICATE, e.reason());
    assertTrue(e.peerId().isEmpty());
    assertTrue(e.getMessage().contains("no client certificate"), e.getMessage());
  }

  @Test
  void deniesACertificateWithoutASpiffeId() {
    X509Certificate cnOnly =
        root.leafBuilder(RESTBASE.toString())
            .without(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName)
            .subject("CN=restbase")
            .build();
    PeerNotAuthorizedException e =
        assertThrows(
            PeerNotAuthorizedException.class,
            () -> authorizer.authorize(session(new Certificate[] {cnOnly})));
    assertEquals(Reason.NOT_AN_SVID, e.reason());
    assertTrue(e.getMessage().contains("CN_ONLY"), e.getMessage());
  }

  @Test
  void builderRefusesAnEmptyListAndTrustDomainIds() {
    MeshConfigException empty =
        assertThrows(MeshConfigException.class, () -> PeerAuthorizer.builder().build());
    assertEquals("authorizer allow-list", empty.field());
    MeshConfigException domainId =
        assertThrows(MeshConfigException.class, () -> PeerAuthorizer.builder().allow(DOMAIN.id()));
    assertTrue(domainId.getMessage().contains("allowTrustDomain"), domainId.getMessage());
  }

  private SSLSession sessionOf(SpiffeId id) {
    return session(new Certificate[] {root.leafBuilder(id.toString()).build()});
  }

  /** An SSLSession whose peer certificates are {@code chain} (none when null). */
  private static SSLSession session(Certificate[] chain) {
    return (SSLSession)
        Proxy.newProxyInstance(
            PeerAuthorizerTest.class.getClassLoader(),
            new Class<?>[] {SSLSession.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getPeerCertificates")) {
                if (chain == null) {
                  throw new SSLPeerUnverifiedException("peer not authenticated");
                }
                return chain;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}

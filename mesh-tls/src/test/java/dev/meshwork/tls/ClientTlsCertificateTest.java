package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.PeerSecurity.CertificateInfo;
import dev.meshwork.core.spi.PeerSecurity.CertificateSummary;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ClientTls#certificate()} as mesh-tls implements it: the identity, chain and anchors the
 * workload presents now, the seconds left on the leaf, and a new description after a rotation.
 */
class ClientTlsCertificateTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  private static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  private final ManualClock clock = new ManualClock(NOW);
  private final BuiltInCa ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();

  @Test
  void describesThePresentedIdentityAndFollowsRotation() {
    try (BuiltInCaSource source =
        BuiltInCaSource.builder()
            .ca(ca)
            .spiffeId(RESTBASE)
            .clock(clock)
            .scheduler(new ManualScheduler(clock))
            .random(new SplittableRandom(7))
            .build()) {
      ClientTls tls =
          MeshTls.builder()
              .source(source)
              .trustDomain("example.org")
              .build()
              .clientTls(new ServiceName("mathoid"), List.of(), clock);

      CertificateInfo info = tls.certificate().orElseThrow();
      IssuedIdentity identity = source.current();
      assertEquals(RESTBASE.toString(), info.identity());
      assertEquals(identity.chain().size(), info.chain().size());
      assertSummary(identity.leaf(), info.leaf());
      assertEquals(ca.rootCertificate().getSubjectX500Principal().getName(), info.leaf().issuer());
      assertEquals(1, info.trustAnchors().size());
      assertSummary(ca.rootCertificate(), info.trustAnchors().get(0));
      assertEquals(NOW.plus(Duration.ofHours(24)), info.notAfter());
      assertEquals(Duration.ofHours(24).toSeconds(), info.secondsToExpiry(clock.now()));
      assertSame(
          info, tls.certificate().orElseThrow(), "described once per identity, not per read");

      clock.advance(Duration.between(NOW, source.nextRenewalAt()));
      assertTrue(source.renewIfDue());
      CertificateInfo renewed = tls.certificate().orElseThrow();
      assertNotEquals(info.leaf().serialNumber(), renewed.leaf().serialNumber());
      assertSummary(source.current().leaf(), renewed.leaf());
      // Validity has whole seconds, so the renewed leaf's 24 h may start up to a second before now.
      long left = renewed.secondsToExpiry(clock.now());
      assertTrue(left == 86_399 || left == 86_400, "seconds to expiry " + left);
    }
  }

  private static void assertSummary(X509Certificate certificate, CertificateSummary summary) {
    assertEquals(certificate.getSubjectX500Principal().getName(), summary.subject());
    assertEquals(certificate.getIssuerX500Principal().getName(), summary.issuer());
    assertEquals(certificate.getSerialNumber().toString(16), summary.serialNumber());
    assertEquals(certificate.getNotBefore().toInstant(), summary.notBefore());
    assertEquals(certificate.getNotAfter().toInstant(), summary.notAfter());
  }
}

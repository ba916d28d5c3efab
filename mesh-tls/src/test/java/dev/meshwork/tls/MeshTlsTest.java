package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.meshwork.core.ServiceName;
import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** What {@link MeshTls} expects of peers when only the certificate source is given. */
class MeshTlsTest {
  private static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  private static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final BuiltInCa ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();

  private BuiltInCaSource source() {
    return BuiltInCaSource.builder().ca(ca).spiffeId(RESTBASE).clock(clock)
        .scheduler(new ManualScheduler(clock)).random(new SplittableRandom(3)).build();
  }

  @Test
  void peersAreExpectedInTheTrustDomainOfTheWorkloadsOwnIdentity() {
    try (BuiltInCaSource source = source()) {
      MeshTls tls = MeshTls.builder().source(source).build();
      assertEquals(SpiffeId.forService(DOMAIN, "default", "mathoid"), tls.derivedIdentity(new ServiceName("mathoid")));
      assertEquals("example.org", tls.toString().replaceAll(".*trustDomain=([^,]+),.*", "$1"));
    }
  }

  @Test
  void anExplicitTrustDomainIsKept() {
    try (BuiltInCaSource source = source()) {
      MeshTls tls = MeshTls.builder().source(source).trustDomain("other.org").namespace("maths").build();
      assertEquals(SpiffeId.forService(TrustDomain.of("other.org"), "maths", "mathoid"),
          tls.derivedIdentity(new ServiceName("mathoid")));
    }
  }
}

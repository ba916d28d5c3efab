package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Bundles are equal when domain and anchor set are, whatever the order or duplicates. */
class TrustBundleEqualityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  private final TestAuthority first = TestAuthority.root("First Root", NOW);
  private final TestAuthority second = TestAuthority.root("Second Root", NOW);

  @Test
  void theSameAnchorsInAnotherOrderMakeAnEqualBundle() {
    TrustBundle forward = TrustBundle.of(DOMAIN, first.certificate(), second.certificate());
    TrustBundle backward =
        TrustBundle.of(DOMAIN, second.certificate(), first.certificate(), second.certificate());
    assertEquals(forward, backward);
    assertEquals(forward.hashCode(), backward.hashCode());
  }

  @Test
  void anotherAnchorSetOrDomainMakesAnotherBundle() {
    TrustBundle both = TrustBundle.of(DOMAIN, first.certificate(), second.certificate());
    assertNotEquals(both, TrustBundle.of(DOMAIN, first.certificate()));
    assertNotEquals(
        TrustBundle.of(DOMAIN, first.certificate()), TrustBundle.of(DOMAIN, second.certificate()));
    assertNotEquals(
        TrustBundle.of(DOMAIN, first.certificate()),
        TrustBundle.of(TrustDomain.of("other.org"), first.certificate()));
  }
}

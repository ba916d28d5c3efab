package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.MeshTransports;
import dev.meshwork.core.spi.MeshTransports.TransportContext;
import java.math.BigInteger;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

/** What {@link MeshTls} expects of peers when only the certificate source is given. */
class MeshTlsTest {
  private static final TrustDomain DOMAIN = TrustDomain.of("example.org");
  private static final SpiffeId RESTBASE = SpiffeId.forService(DOMAIN, "default", "restbase");

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final BuiltInCa ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();

  private final ManualScheduler scheduler = new ManualScheduler(clock);

  private BuiltInCaSource source() {
    return BuiltInCaSource.builder()
        .ca(ca)
        .spiffeId(RESTBASE)
        .clock(clock)
        .scheduler(scheduler)
        .random(new SplittableRandom(3))
        .build();
  }

  @Test
  void theMeshClockJudgesPeerCertificates() throws Exception {
    // Issued on the manual clock's day, long past by the system clock: only the mesh clock accepts
    // it.
    X509Certificate[] mathoid =
        ca.issue(SpiffeId.forService(DOMAIN, "default", "mathoid"))
            .chain()
            .toArray(new X509Certificate[0]);
    try (BuiltInCaSource source = source();
        Mesh mesh =
            Mesh.builder()
                .clock(clock)
                .security(MeshTls.builder().source(source).build())
                .service("mathoid", s -> s.endpoints("127.0.0.1:1"))
                .build()) {
      X509TrustManager trust =
          MeshTransports.attach(mesh, TransportContext.class, context -> context)
              .invoker("mathoid")
              .clientTls()
              .trustManager();
      trust.checkServerTrusted(mathoid, "UNKNOWN");

      clock.advance(Duration.ofDays(2));
      assertThrows(CertificateException.class, () -> trust.checkServerTrusted(mathoid, "UNKNOWN"));
    }
  }

  @Test
  void closingTheMeshLeavesACallersSourceRenewing() {
    try (BuiltInCaSource source = source()) {
      Mesh mesh =
          Mesh.builder()
              .clock(clock)
              .security(MeshTls.builder().source(source).build())
              .service("mathoid", s -> s.endpoints("127.0.0.1:1"))
              .build();
      BigInteger first = source.current().leaf().getSerialNumber();
      mesh.close();

      scheduler.advance(Duration.between(clock.now(), source.nextRenewalAt()).plusSeconds(1));
      assertNotEquals(
          first,
          source.current().leaf().getSerialNumber(),
          "still renewed for its owner after the mesh closed");
    }
  }

  @Test
  void closingTheMeshClosesASourceItWasGiven() {
    BuiltInCaSource source = source();
    MeshTls tls = MeshTls.builder().source(source).closeSourceWithMesh(true).build();
    assertTrue(tls.toString().contains("source closed with the mesh"), tls.toString());
    Mesh mesh =
        Mesh.builder()
            .clock(clock)
            .security(tls)
            .service("mathoid", s -> s.endpoints("127.0.0.1:1"))
            .build();
    BigInteger first = source.current().leaf().getSerialNumber();
    mesh.close();

    assertEquals(0, scheduler.pending(), "renewal timer cancelled");
    clock.advance(Duration.between(clock.now(), source.nextRenewalAt()).plusSeconds(1));
    assertFalse(source.renewIfDue());
    assertEquals(first, source.current().leaf().getSerialNumber());
  }

  /** builtIn renews on the CA's clock, so a CA on a test clock renews as the test moves it. */
  @Test
  void builtInRenewsOnTheCasClock() {
    SchedulingClock scheduling = new SchedulingClock(Instant.parse("2026-03-01T12:00:00Z"));
    BuiltInCa onIt = BuiltInCa.builder().trustDomain(DOMAIN).clock(scheduling).build();
    MeshTls tls = MeshTls.builtIn(onIt, "restbase");
    BigInteger first = tls.source().current().leaf().getSerialNumber();
    Instant renewal = ((BuiltInCaSource) tls.source()).nextRenewalAt();
    assertTrue(
        !renewal.isBefore(scheduling.now().plus(Duration.ofHours(12)))
            && !renewal.isAfter(scheduling.now().plus(Duration.ofMinutes(864))),
        "renewal at 50-60% of 24 h by the CA's clock: " + renewal);

    scheduling.scheduler.advance(Duration.ofHours(15));
    assertNotEquals(first, tls.source().current().leaf().getSerialNumber());
    tls.close();
  }

  @Test
  void builtInIssuesTheNamedWorkloadsIdentityAndOwnsItsSource() {
    MeshTls tls = MeshTls.builtIn(ca, "restbase");

    assertEquals(RESTBASE.toString(), tls.localIdentity());
    assertEquals(RESTBASE, tls.source().current().spiffeId());
    assertEquals(
        SpiffeId.forService(DOMAIN, "default", "mathoid"),
        tls.derivedIdentity(ServiceName.of("mathoid")));
    assertTrue(tls.toString().contains("source closed with the mesh"), tls.toString());
    MeshConfigException bad =
        assertThrows(MeshConfigException.class, () -> MeshTls.builtIn(ca, "rest/base"));
    assertTrue(bad.getMessage().contains("rest/base"), bad.getMessage());
    tls.close();
  }

  @Test
  void peersAreExpectedInTheTrustDomainOfTheWorkloadsOwnIdentity() {
    try (BuiltInCaSource source = source()) {
      MeshTls tls = MeshTls.builder().source(source).build();
      assertEquals(
          SpiffeId.forService(DOMAIN, "default", "mathoid"),
          tls.derivedIdentity(new ServiceName("mathoid")));
      assertEquals("example.org", tls.toString().replaceAll(".*trustDomain=([^,]+),.*", "$1"));
    }
  }

  @Test
  void anExplicitTrustDomainIsKept() {
    try (BuiltInCaSource source = source()) {
      MeshTls tls =
          MeshTls.builder().source(source).trustDomain("other.org").namespace("maths").build();
      assertEquals(
          SpiffeId.forService(TrustDomain.of("other.org"), "maths", "mathoid"),
          tls.derivedIdentity(new ServiceName("mathoid")));
    }
  }

  /**
   * The client TLS tells its transport when what a pooled connection was authenticated with no
   * longer holds: the anchors changed, or this workload's leaf now comes from another CA (peers
   * will refuse connections that presented the old CA's leaf once they drop it). A renewal by the
   * same CA changes neither.
   */
  @Test
  void clientTlsReportsAChangeOfAnchorsOrOfTheLeafsCaButNotARenewal() {
    BuiltInCa next = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    TrustBundle both = ca.trustBundle().with(next.rootCertificate());
    SettableSource source = new SettableSource(ca.issue(RESTBASE));
    var tls =
        MeshTls.builder()
            .source(source)
            .build()
            .clientTls(ServiceName.of("mathoid"), List.of(), clock);
    AtomicInteger changes = new AtomicInteger();
    tls.onTrustChange(changes::incrementAndGet);

    source.set(ca.issue(RESTBASE));
    assertEquals(0, changes.get(), "a renewal by the same CA");
    source.set(withBundle(ca.issue(RESTBASE), both));
    assertEquals(1, changes.get(), "the new CA's anchor added");
    source.set(withBundle(next.issue(RESTBASE), both));
    assertEquals(2, changes.get(), "the leaf now comes from the new CA");
    source.set(withBundle(next.issue(RESTBASE), both));
    assertEquals(2, changes.get(), "a renewal by the new CA");
    source.set(next.issue(RESTBASE));
    assertEquals(3, changes.get(), "the old anchor removed");
  }

  private static IssuedIdentity withBundle(IssuedIdentity identity, TrustBundle bundle) {
    return IssuedIdentity.of(identity.privateKey(), identity.chain(), bundle);
  }
}

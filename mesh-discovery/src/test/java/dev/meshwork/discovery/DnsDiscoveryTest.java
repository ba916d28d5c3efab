package dev.meshwork.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Mesh;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import dev.meshwork.discovery.internal.DnsWatch;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DNS discovery against a real DNS server (dnsmasq on a loopback port). */
class DnsDiscoveryTest {
  private static final String SRV = "--srv-host=_http._tcp.mathoid.mesh.test,";

  @TempDir java.nio.file.Path dir;
  private Dnsmasq dns;

  @BeforeEach
  void startDns() throws Exception {
    dns = new Dnsmasq(dir);
  }

  @AfterEach
  void stopDns() throws Exception {
    dns.close();
  }

  private DnsDiscovery.Builder fast(DnsDiscovery.Builder builder) {
    return builder
        .resolver(dns.address())
        .timeout(Duration.ofMillis(200))
        .minRefresh(Duration.ofMillis(20))
        .maxRefresh(Duration.ofMillis(200));
  }

  private static Mesh mesh(DiscoverySource source) {
    return Mesh.builder()
        .awaitDiscovery(Duration.ofSeconds(20))
        .service("mathoid", s -> s.discovery(source))
        .build();
  }

  private static Set<String> endpoints(Mesh mesh) {
    Set<String> text = new TreeSet<>();
    mesh.endpoints("mathoid").forEach(endpoint -> text.add(endpoint.toString()));
    return text;
  }

  private static void awaitEndpoints(Mesh mesh, String... expected) {
    Set<String> wanted = new TreeSet<>(List.of(expected));
    Eventually.await(
        () -> endpoints(mesh).equals(wanted),
        () ->
            "endpoints "
                + wanted
                + ", have "
                + endpoints(mesh)
                + "; health "
                + mesh.discoveryHealth("mathoid"));
  }

  private static void awaitError(Mesh mesh, String expectedPart) {
    Eventually.awaitDiscoveryError(mesh, "mathoid", expectedPart);
  }

  @Test
  void addressRecordsReachTheMeshAndSoDoTheirChanges() throws Exception {
    dns.hosts("127.0.0.11 mathoid.mesh.test\n127.0.0.12 mathoid.mesh.test\n");
    dns.start("--host-record=v6.mesh.test,fd00::7");
    try (Mesh mesh = mesh(fast(DnsDiscovery.addresses("mathoid.mesh.test", 8080)).build())) {
      awaitEndpoints(mesh, "127.0.0.11:8080", "127.0.0.12:8080");
      dns.hosts("127.0.0.12 mathoid.mesh.test\n127.0.0.13 mathoid.mesh.test\n");
      awaitEndpoints(mesh, "127.0.0.12:8080", "127.0.0.13:8080");
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
    try (Mesh mesh = mesh(fast(DnsDiscovery.addresses("v6.mesh.test", 8080)).build())) {
      awaitEndpoints(mesh, "[fd00::7]:8080");
    }
  }

  @Test
  void srvRecordsGivePortsAndWeightsAndOnlyTheLowestPriorityCounts() throws Exception {
    dns.hosts("127.0.0.21 one.mesh.test\n127.0.0.22 two.mesh.test\n127.0.0.23 backup.mesh.test\n");
    dns.start(
        SRV + "one.mesh.test,8081,0,10",
        SRV + "two.mesh.test,8082,0,0",
        SRV + "backup.mesh.test,8083,1,10");
    try (Mesh mesh = mesh(fast(DnsDiscovery.srv("_http._tcp.mathoid.mesh.test")).build())) {
      awaitEndpoints(mesh, "127.0.0.21:8081 weight=10", "127.0.0.22:8082");
      dns.restart(
          SRV + "two.mesh.test,8082,0,5",
          SRV + "three.mesh.test,9090,0,5",
          "--host-record=three.mesh.test,127.0.0.24");
      awaitEndpoints(mesh, "127.0.0.22:8082 weight=5", "127.0.0.24:9090 weight=5");
      // A lone SRV record with target "." is how DNS says the service has no instances.
      dns.restart("--srv-host=_http._tcp.mathoid.mesh.test");
      awaitEndpoints(mesh);
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
  }

  @Test
  void whileTheDnsServerIsDownCallsToUnchangedEndpointsNeverFail() throws Exception {
    dns.hosts("127.0.0.11 mathoid.mesh.test\n127.0.0.12 mathoid.mesh.test\n");
    dns.start();
    try (Mesh mesh = mesh(fast(DnsDiscovery.addresses("mathoid.mesh.test", 8080)).build())) {
      awaitEndpoints(mesh, "127.0.0.11:8080", "127.0.0.12:8080");
      // .13 is the instance that appears once DNS is back.
      try (Caller caller =
          new Caller(
              mesh, "mathoid", Set.of("127.0.0.11:8080", "127.0.0.12:8080", "127.0.0.13:8080"))) {
        dns.stop();
        awaitError(mesh, "resolver did not answer");
        var firstError = mesh.discoveryHealth("mathoid").lastErrorAt().orElseThrow();
        // Several refreshes fail in a row while calls keep flowing.
        Eventually.await(
            () -> mesh.discoveryHealth("mathoid").lastErrorAt().orElseThrow().isAfter(firstError),
            () -> "a second failed refresh");
        long before = caller.succeeded.get();
        Eventually.await(
            () -> caller.succeeded.get() > before + 1000, () -> "calls keep succeeding");
        assertEquals(Set.of("127.0.0.11:8080", "127.0.0.12:8080"), endpoints(mesh));
        String lastError = mesh.discoveryHealth("mathoid").lastError().orElseThrow();
        assertTrue(
            lastError.startsWith("dns[A/AAAA mathoid.mesh.test.:8080 via 127.0.0.1:"), lastError);
        assertTrue(lastError.contains(" for service 'mathoid': "), lastError);
        DiscoveryHealth health = mesh.discoveryHealth("mathoid");
        assertTrue(health.staleness(mesh.clock().now()).orElseThrow().toNanos() > 0);
        assertEquals(List.of(), caller.failures, "no call failed while DNS was down");

        dns.hosts(
            "127.0.0.11 mathoid.mesh.test\n127.0.0.12 mathoid.mesh.test\n127.0.0.13 mathoid.mesh.test\n");
        dns.start();
        awaitEndpoints(mesh, "127.0.0.11:8080", "127.0.0.12:8080", "127.0.0.13:8080");
        assertTrue(mesh.discoveryHealth("mathoid").healthy());
        assertEquals(List.of(), caller.failures);
      }
    }
  }

  @Test
  void badRecordsAreReportedAndTheLastGoodEndpointsStay() throws Exception {
    dns.hosts("127.0.0.21 one.mesh.test\n");
    dns.start(SRV + "one.mesh.test,8081,0,1");
    try (Mesh mesh = mesh(fast(DnsDiscovery.srv("_http._tcp.mathoid.mesh.test")).build())) {
      awaitEndpoints(mesh, "127.0.0.21:8081");

      dns.restart(SRV + "one.mesh.test,0,0,1");
      awaitError(mesh, "SRV record _http._tcp.mathoid.mesh.test. -> one.mesh.test. has port 0");
      assertEquals(Set.of("127.0.0.21:8081"), endpoints(mesh));

      dns.restart(SRV + "one.mesh.test,8081,0,1", SRV + "gone.mesh.test,8081,0,1");
      awaitError(mesh, "gone.mesh.test. does not resolve (no A or AAAA records, NXDOMAIN)");
      assertEquals(Set.of("127.0.0.21:8081"), endpoints(mesh));

      dns.restart();
      awaitError(mesh, "no SRV records for _http._tcp.mathoid.mesh.test. (NXDOMAIN)");
      assertEquals(Set.of("127.0.0.21:8081"), endpoints(mesh));
      assertEquals(
          "dns[SRV _http._tcp.mathoid.mesh.test. via 127.0.0.1:"
              + dns.address().getPort()
              + "] for service 'mathoid': no SRV records for _http._tcp.mathoid.mesh.test. (NXDOMAIN);"
              + " keeping the last good endpoints",
          mesh.discoveryHealth("mathoid").lastError().orElseThrow());
    }
  }

  @Test
  void aLongTtlStillRefreshesWithinTheMaximum() throws Exception {
    dns.hosts("127.0.0.11 mathoid.mesh.test\n");
    dns.start("--local-ttl=3600");
    try (Mesh mesh = mesh(fast(DnsDiscovery.addresses("mathoid.mesh.test", 8080)).build())) {
      awaitEndpoints(mesh, "127.0.0.11:8080");
      dns.hosts("127.0.0.12 mathoid.mesh.test\n");
      awaitEndpoints(mesh, "127.0.0.12:8080");
    }
  }

  @Test
  void theRefreshFollowsTheTtlWithinItsBounds() {
    Duration min = Duration.ofSeconds(1);
    Duration max = Duration.ofSeconds(60);
    assertEquals(Duration.ofSeconds(30), DnsWatch.refreshAfter(30, min, max));
    assertEquals(min, DnsWatch.refreshAfter(0, min, max));
    assertEquals(max, DnsWatch.refreshAfter(86_400, min, max));
    assertEquals(max, DnsWatch.refreshAfter(Long.MAX_VALUE, min, max));
  }

  @Test
  void settingsAreCheckedWhenBuilt() {
    MeshConfigException port =
        assertThrows(
            MeshConfigException.class,
            () -> DnsDiscovery.addresses("mathoid.mesh.test", 0).build());
    assertEquals(
        "dns discovery mathoid.mesh.test port: '0' is invalid; expected a port number in 1..65535",
        port.getMessage());
    assertThrows(MeshConfigException.class, () -> DnsDiscovery.srv("bad name!").build());
    assertThrows(
        MeshConfigException.class,
        () ->
            DnsDiscovery.srv("_http._tcp.x.test")
                .minRefresh(Duration.ofSeconds(5))
                .maxRefresh(Duration.ofSeconds(1))
                .build());
  }
}

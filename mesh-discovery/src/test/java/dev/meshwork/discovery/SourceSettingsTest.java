package dev.meshwork.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.spi.DiscoverySource;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each source reads back the settings it was built with, so a configuration dump (mesh-config's
 * {@code MeshConfig.of(mesh)}) can write them out again.
 */
class SourceSettingsTest {

  @Test
  void dnsSourcesReadBackTheirSettings() {
    DnsDiscovery srv =
        DnsDiscovery.srv("_http._tcp.mathoid.example.org.")
            .resolver(new InetSocketAddress("127.0.0.1", 5353))
            .timeout(Duration.ofMillis(1500))
            .minRefresh(Duration.ofSeconds(2))
            .maxRefresh(Duration.ofSeconds(30))
            .build();
    assertEquals("_http._tcp.mathoid.example.org", srv.name());
    assertTrue(srv.srv());
    assertEquals(0, srv.port());
    assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 5353)), srv.resolver());
    assertEquals(Duration.ofMillis(1500), srv.timeout());
    assertEquals(Duration.ofSeconds(2), srv.minRefresh());
    assertEquals(Duration.ofSeconds(30), srv.maxRefresh());

    DnsDiscovery addresses = DnsDiscovery.addresses("restbase.example.org", 7231).build();
    assertFalse(addresses.srv());
    assertEquals(7231, addresses.port());
    assertEquals(Optional.empty(), addresses.resolver());
    assertEquals(Duration.ofSeconds(2), addresses.timeout());
  }

  @Test
  void fileSourceReadsBackItsSettings() {
    FileDiscovery file =
        FileDiscovery.builder(Path.of("/etc/meshwork/endpoints.yml"))
            .pollInterval(Duration.ofMillis(500))
            .build();
    assertEquals(Path.of("/etc/meshwork/endpoints.yml"), file.path());
    assertEquals(FileDiscovery.Format.YAML, file.format());
    assertEquals(Duration.ofMillis(500), file.pollInterval());
  }

  @Test
  void mergedSourceListsItsParts() {
    DiscoverySource first = StaticDiscovery.of(Endpoint.of("127.0.0.1", 1));
    DiscoverySource second = FileDiscovery.builder(Path.of("extra.json")).build();
    assertEquals(
        List.of(first, second), DiscoverySources.parts(DiscoverySources.merged(first, second)));
    assertEquals(List.of(), DiscoverySources.parts(first));
  }

  /**
   * Sources built alike are equal, so a config swap that hands over an equal source (a document
   * read again) keeps the running watch; any setting that differs makes them unequal.
   */
  @Test
  void sourcesBuiltAlikeAreEqual() {
    Path endpoints = Path.of("/etc/meshwork/endpoints.yml");
    FileDiscovery file = FileDiscovery.builder(endpoints).build();
    assertEquals(file, FileDiscovery.builder(endpoints).build());
    assertEquals(file.hashCode(), FileDiscovery.builder(endpoints).build().hashCode());
    assertNotEquals(file, FileDiscovery.builder(Path.of("/etc/other.yml")).build());
    assertNotEquals(
        file, FileDiscovery.builder(endpoints).pollInterval(Duration.ofSeconds(9)).build());
    assertNotEquals(
        file, FileDiscovery.builder(endpoints).format(FileDiscovery.Format.JSON).build());

    DnsDiscovery dns = DnsDiscovery.srv("_http._tcp.mathoid.example.org").build();
    assertEquals(dns, DnsDiscovery.srv("_http._tcp.mathoid.example.org").build());
    assertEquals(
        dns.hashCode(), DnsDiscovery.srv("_http._tcp.mathoid.example.org").build().hashCode());
    assertNotEquals(dns, DnsDiscovery.srv("_http._tcp.citoid.example.org").build());
    assertNotEquals(
        dns,
        DnsDiscovery.srv("_http._tcp.mathoid.example.org")
            .resolver(new InetSocketAddress("127.0.0.1", 5353))
            .build());
    assertNotEquals(
        dns,
        DnsDiscovery.srv("_http._tcp.mathoid.example.org").timeout(Duration.ofSeconds(1)).build());
    assertNotEquals(
        DnsDiscovery.addresses("mathoid.example.org", 80).build(),
        DnsDiscovery.addresses("mathoid.example.org", 81).build());

    DiscoverySource merged = DiscoverySources.merged(file, dns);
    assertEquals(
        merged,
        DiscoverySources.merged(
            FileDiscovery.builder(endpoints).build(),
            DnsDiscovery.srv("_http._tcp.mathoid.example.org").build()));
    assertNotEquals(merged, DiscoverySources.merged(dns, file));
  }
}

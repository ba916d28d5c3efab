package dev.meshwork.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity sources and {@link MeshTls} read back the settings they were built with, so a
 * configuration dump (mesh-config's {@code MeshConfig.of(mesh)}) can write them out again.
 */
class SourceSettingsTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final TrustDomain DOMAIN = TrustDomain.of("example.org");

  @TempDir Path dir;

  @Test
  void builtInCaRemembersTheDirectoryItWasLoadedFrom() throws Exception {
    ManualClock clock = new ManualClock(NOW);
    BuiltInCa inMemory = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    assertEquals(Optional.empty(), inMemory.directory());
    inMemory.saveTo(dir.resolve("saved"));
    assertEquals(
        Optional.of(dir.resolve("saved")),
        BuiltInCa.builder().clock(clock).load(dir.resolve("saved")).directory());
    assertEquals(
        Optional.of(dir.resolve("created")),
        BuiltInCa.builder()
            .trustDomain(DOMAIN)
            .clock(clock)
            .loadOrCreate(dir.resolve("created"))
            .directory());
  }

  @Test
  void builtInSourceAndMeshTlsReadBackTheirSettings() {
    ManualClock clock = new ManualClock(NOW);
    BuiltInCa ca = BuiltInCa.builder().trustDomain(DOMAIN).clock(clock).build();
    SpiffeId restbase = SpiffeId.forService(DOMAIN, "web", "restbase");
    try (BuiltInCaSource source =
        BuiltInCaSource.builder()
            .ca(ca)
            .spiffeId(restbase)
            .clock(clock)
            .leafLifetime(Duration.ofHours(2))
            .retryInterval(Duration.ofSeconds(20))
            .build()) {
      assertEquals(ca, source.ca());
      assertEquals(restbase, source.spiffeId());
      assertEquals(Duration.ofHours(2), source.leafLifetime());
      assertEquals(Duration.ofSeconds(20), source.retryInterval());

      MeshTls defaults = MeshTls.builder().source(source).build();
      assertEquals(DOMAIN, defaults.trustDomain());
      assertEquals("default", defaults.namespace());
      assertFalse(defaults.allowTls12());
      MeshTls chosen =
          MeshTls.builder()
              .source(source)
              .trustDomain("other.org")
              .namespace("web")
              .allowTls12(true)
              .build();
      assertEquals(TrustDomain.of("other.org"), chosen.trustDomain());
      assertEquals("web", chosen.namespace());
      assertTrue(chosen.allowTls12());
    }
  }

  @Test
  void pemFileSourceReadsBackItsSettings() throws Exception {
    PemFixture files = new PemFixture(dir, NOW);
    files.write(files.newLeaf());
    try (PemFileSource source =
        PemFileSource.builder()
            .keyFile(files.keyFile)
            .chainFile(files.chainFile)
            .trustBundleFile(files.bundleFile)
            .trustDomain(DOMAIN)
            .clock(new ManualClock(NOW))
            .pollInterval(Duration.ofSeconds(7))
            .build()) {
      assertEquals(files.keyFile, source.keyFile());
      assertEquals(files.chainFile, source.chainFile());
      assertEquals(files.bundleFile, source.trustBundleFile());
      assertEquals(Optional.of(DOMAIN), source.trustDomain());
      assertEquals(Duration.ofSeconds(7), source.pollInterval());
    }
  }
}

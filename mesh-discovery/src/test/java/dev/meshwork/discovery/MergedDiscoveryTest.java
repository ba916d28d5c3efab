package dev.meshwork.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.discovery.StaticDiscovery;
import dev.meshwork.core.exception.MeshConfigException;
import dev.meshwork.core.spi.DiscoverySource.DiscoveryHealth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Several sources for one service: a union of last good answers, each source failing on its own.
 */
class MergedDiscoveryTest {
  private static final Endpoint A = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint B = Endpoint.of("10.0.0.2", 80);
  private static final Endpoint C = Endpoint.of("10.0.0.3", 80);

  @Test
  void theServiceGetsTheUnionAndOneFailingSourceRemovesNothing() {
    PushedSource dns = new PushedSource("dns");
    PushedSource file = new PushedSource("file");
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.discovery(DiscoverySources.merged(dns, file)))
            .build()) {
      assertEquals(DiscoveryHealth.Status.WAITING, mesh.discoveryHealth("mathoid").status());
      dns.push(A, B);
      Eventually.await(
          () -> mesh.endpoints("mathoid").equals(List.of(A, B)), () -> "dns's answer alone");
      file.push(Endpoint.builder("10.0.0.2", 80).weight(5).build(), C);
      Eventually.await(
          () -> mesh.endpoints("mathoid").equals(List.of(A, B, C)),
          () -> "the union, B from the first source: " + mesh.endpoints("mathoid"));
      assertTrue(mesh.discoveryHealth("mathoid").healthy());

      dns.fail("SERVFAIL");
      DiscoveryHealth degraded = mesh.discoveryHealth("mathoid");
      assertEquals(DiscoveryHealth.Status.DEGRADED, degraded.status());
      assertEquals(Optional.of("dns: SERVFAIL"), degraded.lastError());
      assertEquals(DiscoveryHealth.Status.FAILING, degraded.parts().get(0).status());
      assertTrue(degraded.parts().get(1).healthy());

      file.push(C);
      Eventually.await(
          () -> mesh.endpoints("mathoid").equals(List.of(A, B, C)),
          () -> "dns's last good stays beside file's new answer: " + mesh.endpoints("mathoid"));
      file.push();
      Eventually.await(
          () -> mesh.endpoints("mathoid").equals(List.of(A, B)),
          () -> "file's empty answer is an answer");
    }
    assertFalse(dns.watched() || file.watched(), "closing the mesh closes every child watch");
  }

  @Test
  void mergesStaticListsWithOtherSourcesAndNamesItsParts() {
    PushedSource pushed = new PushedSource("pushed");
    var merged = DiscoverySources.merged(StaticDiscovery.of(A), pushed);
    assertEquals("merged[static[1 endpoints], pushed]", merged.describe());
    try (Mesh mesh = Mesh.builder().service("mathoid", s -> s.discovery(merged)).build()) {
      assertEquals(List.of(A), mesh.endpoints("mathoid"));
      pushed.fail("connection refused");
      assertEquals(DiscoveryHealth.Status.DEGRADED, mesh.discoveryHealth("mathoid").status());
      assertEquals(List.of(A), mesh.endpoints("mathoid"));
    }
  }

  @Test
  void needsTwoSources() {
    MeshConfigException e =
        assertThrows(
            MeshConfigException.class, () -> DiscoverySources.merged(new PushedSource("x")));
    assertEquals(
        "merged discovery sources: '1' is invalid; expected two or more sources", e.getMessage());
  }
}

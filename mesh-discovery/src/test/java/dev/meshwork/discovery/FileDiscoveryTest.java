package dev.meshwork.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watched endpoints file, written, rewritten and broken the ways deployments do it. */
class FileDiscoveryTest {
  private static final String GOOD =
      """
      services:
        mathoid:
          - address: 10.0.0.1:8080
            weight: 3
            zone: eqiad-a
            labels: {version: v1}
          - host: 10.0.0.2
            port: 8080
        restbase:
          - address: 10.0.1.1:7231
      """;
  private static final List<Endpoint> GOOD_ENDPOINTS =
      List.of(
          Endpoint.builder("10.0.0.1", 8080)
              .weight(3)
              .zone("eqiad-a")
              .label("version", "v1")
              .build(),
          Endpoint.of("10.0.0.2", 8080));

  @TempDir Path dir;

  private Mesh mesh(Path file) {
    FileDiscovery source = FileDiscovery.builder(file).pollInterval(Duration.ofMillis(10)).build();
    return Mesh.builder().service("mathoid", s -> s.discovery(source)).build();
  }

  /**
   * Replaces the file the way ConfigMap volumes and careful writers do: write aside, then rename.
   */
  private static void replace(Path file, String content) throws IOException {
    Path temporary = Files.createTempFile(file.getParent(), "next", ".tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(
        temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void awaitEndpoints(Mesh mesh, List<Endpoint> expected) {
    Eventually.await(
        () -> mesh.endpoints("mathoid").equals(expected),
        () ->
            "endpoints "
                + expected
                + ", have "
                + mesh.endpoints("mathoid")
                + "; health "
                + mesh.discoveryHealth("mathoid"));
  }

  private static void awaitError(Mesh mesh, String expectedPart) {
    Eventually.awaitDiscoveryError(mesh, "mathoid", expectedPart);
  }

  @Test
  void readsWeightsZonesAndLabelsAndFollowsAnAtomicRewrite() throws Exception {
    Path file = dir.resolve("endpoints.yaml");
    Files.writeString(file, GOOD);
    try (Mesh mesh = mesh(file)) {
      awaitEndpoints(mesh, GOOD_ENDPOINTS);

      replace(file, GOOD.replace("10.0.0.2", "10.0.0.3"));
      awaitEndpoints(mesh, List.of(GOOD_ENDPOINTS.get(0), Endpoint.of("10.0.0.3", 8080)));
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
  }

  @Test
  void readsJson() throws Exception {
    Path file = dir.resolve("endpoints.json");
    Files.writeString(
        file,
        """
        {"services": {"mathoid": [{"address": "[::1]:8080", "labels": {"canary": "true"}}]}}
        """);
    try (Mesh mesh = mesh(file)) {
      awaitEndpoints(mesh, List.of(Endpoint.builder("::1", 8080).label("canary", "true").build()));
    }
  }

  @Test
  void garbageKeepsTheLastGoodEndpointsAndReportsPathAndLine() throws Exception {
    Path file = dir.resolve("endpoints.yaml");
    Files.writeString(file, GOOD);
    try (Mesh mesh = mesh(file)) {
      List<Endpoint> good = GOOD_ENDPOINTS;
      awaitEndpoints(mesh, good);
      try (Caller caller = new Caller(mesh, "mathoid", Set.of("10.0.0.1:8080", "10.0.0.2:8080"))) {
        replace(file, "services:\n  mathoid:\n    - address: 10.0.0.9:80\n  restbase: {[\n");
        awaitError(mesh, file + " line 4");
        assertTrue(
            mesh.discoveryHealth("mathoid")
                .lastError()
                .orElseThrow()
                .startsWith("file[" + file + "] for service 'mathoid': "),
            mesh.discoveryHealth("mathoid").lastError().toString());
        long before = caller.succeeded.get();
        Eventually.await(() -> caller.succeeded.get() > before + 100, () -> "calls keep going");
        assertEquals(good, mesh.endpoints("mathoid"));
        assertEquals(List.of(), caller.failures);
      }
      replace(file, GOOD.replace("10.0.0.2", "10.0.0.4"));
      awaitEndpoints(mesh, List.of(good.get(0), Endpoint.of("10.0.0.4", 8080)));
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
  }

  @Test
  void aBadValueIsReportedWithItsLineAndEntryAndChangesNothing() throws Exception {
    Path file = dir.resolve("endpoints.yaml");
    Files.writeString(file, GOOD);
    try (Mesh mesh = mesh(file)) {
      awaitEndpoints(mesh, GOOD_ENDPOINTS);
      List<Endpoint> before = mesh.endpoints("mathoid");
      replace(file, GOOD.replace("port: 8080", "port: 0"));
      awaitError(
          mesh,
          "services.mathoid[1]: endpoint 10.0.0.2 port: '0' is invalid; expected a port number in 1..65535");
      assertTrue(
          mesh.discoveryHealth("mathoid").lastError().orElseThrow().contains(file + " line 7"),
          mesh.discoveryHealth("mathoid").lastError().toString());
      assertEquals(before, mesh.endpoints("mathoid"));

      replace(file, GOOD.replace("weight: 3", "wieght: 3"));
      awaitError(mesh, "Unrecognized field \"wieght\"");
      assertEquals(before, mesh.endpoints("mathoid"));

      // The file has fields for these; an address that also carried them would compete with them.
      replace(file, GOOD.replace("address: 10.0.0.1:8080", "address: 10.0.0.1:8080 zone=eqiad-b"));
      awaitError(
          mesh,
          "endpoint address: '10.0.0.1:8080 zone=eqiad-b' is invalid; "
              + "expected 'host:port' alone; weight, zone and labels go in their own fields");
      assertEquals(before, mesh.endpoints("mathoid"));
    }
  }

  @Test
  void aMissingServiceOrFileKeepsTheLastGoodButAnExplicitEmptyListEmptiesTheService()
      throws Exception {
    Path file = dir.resolve("endpoints.yaml");
    Files.writeString(file, GOOD);
    try (Mesh mesh = mesh(file)) {
      Eventually.await(() -> mesh.endpoints("mathoid").size() == 2, () -> "first answer");
      List<Endpoint> before = mesh.endpoints("mathoid");

      replace(file, "services:\n  restbase:\n    - address: 10.0.1.1:7231\n");
      awaitError(mesh, "lists no service 'mathoid' (it lists [restbase])");
      assertEquals(before, mesh.endpoints("mathoid"));

      Files.delete(file);
      awaitError(mesh, "file " + file + " does not exist");
      assertEquals(before, mesh.endpoints("mathoid"));

      replace(file, "services:\n  mathoid: []\n");
      awaitEndpoints(mesh, List.of());
      assertTrue(mesh.discoveryHealth("mathoid").healthy());
    }
  }

  @Test
  void oneFileFeedsSeveralServices() throws Exception {
    Path file = dir.resolve("endpoints.yml");
    Files.writeString(file, GOOD);
    FileDiscovery source = FileDiscovery.builder(file).pollInterval(Duration.ofMillis(10)).build();
    try (Mesh mesh =
        Mesh.builder()
            .service("mathoid", s -> s.discovery(source))
            .service("restbase", s -> s.discovery(source))
            .awaitDiscovery(Duration.ofSeconds(20))
            .build()) {
      assertEquals(2, mesh.endpoints("mathoid").size());
      assertEquals(List.of(Endpoint.of("10.0.1.1", 7231)), mesh.endpoints("restbase"));
    }
  }
}

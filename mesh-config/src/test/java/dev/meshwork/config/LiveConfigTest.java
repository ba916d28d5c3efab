package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.core.ConfigStatus;
import dev.meshwork.core.ManualClock;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.telemetry.Telemetry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every live source, driven by hand: the poll interval is an hour, so its own thread never polls
 * during a test, and the quiet period passes when the test moves the mesh's manual clock.
 */
class LiveConfigTest {
  private static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";
  private static final Duration POLL = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock();
  private final Mesh mesh =
      Mesh.builder().clock(clock).service("mathoid", s -> s.endpoints("10.0.0.1:10044")).build();

  @AfterEach
  void close() {
    mesh.close();
  }

  @Test
  void fileChangesAddAndRemoveServicesOnceSettledAndSameContentIsNotReapplied(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("mesh.yaml");
    write(file, "v1", "mathoid", "citoid");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(file))) {
      ConfigStatus first = mesh.configStatus();
      assertEquals("v1", first.version(), "watch applies the first read before it returns");
      assertEquals(file.toString(), first.source());
      assertEquals(Set.of("mathoid", "citoid"), services());

      write(file, "v2", "citoid", "restbase");
      assertEquals(first.generation(), live.refresh().generation(), "not settled yet");
      clock.advance(POLL);
      ConfigStatus second = live.refresh();
      assertEquals("v2", second.version());
      assertEquals(first.generation() + 1, second.generation());
      assertEquals(Set.of("citoid", "restbase"), services(), "mathoid removed, restbase added");

      clock.advance(POLL);
      live.refresh();
      clock.advance(POLL);
      assertEquals(second.generation(), live.refresh().generation(), "same content: no apply");
    }
  }

  @Test
  void withoutMetadataTheVersionIsTheContentHash(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mesh.json");
    Files.writeString(
        file,
        "{\"apiVersion\": \"meshwork.dev/v1alpha1\", \"kind\": \"Mesh\", \"services\":"
            + " {\"citoid\": {\"discovery\": {\"static\": [\"10.0.2.1:1970\"]}}}}");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(file))) {
      assertTrue(
          mesh.configStatus().version().matches("sha256:[0-9a-f]{16}"),
          mesh.configStatus()::toString);
    }
  }

  @Test
  void aBadDocumentKeepsTheLastGoodAndNamesFileLineAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mesh.yaml");
    write(file, "v1", "citoid");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(file))) {
      ConfigStatus good = mesh.configStatus();
      Files.writeString(
          file,
          HEAD
              + "metadata: {version: v2}\nservices:\n  citoid:\n"
              + "    discovery: {static: [\"10.0.2.1:1970\"]}\n    retries: {maxAttempts: 0}\n");
      settle(live);
      ConfigStatus status = mesh.configStatus();
      assertEquals(good.generation(), status.generation(), "nothing applied");
      assertEquals("v1", status.version());
      String error = status.lastError().orElseThrow().message();
      assertTrue(error.contains(file + ":7:15: services.citoid.retries.maxAttempts"), error);
      assertTrue(error.contains("services.citoid.retries.maxAttempts"), error);
      assertEquals(Set.of("citoid"), services(), "the last good stays");

      write(file, "v3", "citoid", "restbase");
      settle(live);
      assertEquals("v3", mesh.configStatus().version());
      assertTrue(mesh.configStatus().lastError().isEmpty(), "a good apply clears the error");
    }
  }

  @Test
  void aChangeToMeshWideSettingsIsRefusedWholeUntilRestart(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mesh.yaml");
    write(file, "v1", "citoid");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(file))) {
      Files.writeString(
          file,
          HEAD
              + "metadata: {version: v2}\nmesh: {localZone: eqiad}\nservices:\n"
              + "  citoid: {discovery: {static: [\"10.0.2.1:1970\"]}}\n"
              + "  restbase: {discovery: {static: [\"10.0.3.1:7231\"]}}\n");
      settle(live);
      ConfigStatus status = mesh.configStatus();
      assertEquals("v1", status.version());
      String error = status.lastError().orElseThrow().message();
      assertTrue(error.contains("mesh.localZone: \"eqiad\""), error);
      assertTrue(error.contains("restart to apply"), error);
      assertEquals(Set.of("citoid"), services(), "restbase not added: nothing half-applied");
    }
  }

  @Test
  void anUnreadableSourceIsReportedAndTheRunningConfigStays(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(missing))) {
      ConfigStatus status = mesh.configStatus();
      assertEquals(ConfigStatus.BUILDER, status.source());
      String error = status.lastError().orElseThrow().message();
      assertTrue(error.contains(missing.toString()) && error.contains("cannot be read"), error);
      assertEquals(Set.of("mathoid"), services());
    }
  }

  @Test
  void aMountedConfigMapIsReadWholeAcrossItsAtomicLinkSwap(@TempDir Path dir) throws Exception {
    // The kubelet's layout: ..data links to a timestamped directory; each key links via ..data.
    Path first = Files.createDirectory(dir.resolve("..2026_12_07_20_00_00.1"));
    write(first.resolve("10-base.yaml"), "v1", "citoid");
    Files.writeString(
        first.resolve("20-override.yaml"),
        HEAD + "services:\n  citoid:\n    retries: {maxAttempts: 3}\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    for (String key : new String[] {"10-base.yaml", "20-override.yaml"}) {
      Files.createSymbolicLink(dir.resolve(key), Path.of("..data", key));
    }
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.directory(dir))) {
      assertEquals("v1", mesh.configStatus().version());
      assertEquals(3, mesh.config("citoid").retries().maxAttempts(), "merged in name order");
      assertEquals(dir.toString(), mesh.configStatus().source());

      // A new version being written, not linked yet: never read.
      Path second = Files.createDirectory(dir.resolve("..2026_12_07_20_05_00.2"));
      Files.writeString(second.resolve("10-base.yaml"), HEAD + "services:\n  citoid: {disc");
      settle(live);
      assertEquals("v1", mesh.configStatus().version());
      assertTrue(mesh.configStatus().lastError().isEmpty(), "the half-written file was not read");

      write(second.resolve("10-base.yaml"), "v2", "citoid", "restbase");
      Files.writeString(
          second.resolve("20-override.yaml"),
          HEAD + "services:\n  restbase:\n    retries: {maxAttempts: 4}\n");
      Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
      Files.move(next, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
      settle(live);
      assertEquals("v2", mesh.configStatus().version());
      assertEquals(Set.of("citoid", "restbase"), services());
      assertEquals(2, mesh.config("citoid").retries().maxAttempts(), "v1's override is gone");
      assertEquals(4, mesh.config("restbase").retries().maxAttempts());
    }
  }

  @Test
  void aClassPathResourceIsASource() {
    try (LiveConfig live =
        LiveConfig.watch(
            mesh, POLL, MeshConfigSource.classpath("dev/meshwork/config/live/mesh.yaml"))) {
      assertEquals("classpath-1", mesh.configStatus().version());
      assertEquals("classpath:dev/meshwork/config/live/mesh.yaml", mesh.configStatus().source());
      assertEquals(Set.of("citoid"), services());
    }
  }

  @Test
  void filesOverrideTheCodeBuiltBase(@TempDir Path dir) throws Exception {
    Path override = dir.resolve("override.yaml");
    Files.writeString(
        override,
        HEAD
            + "services:\n  mathoid:\n    retries: {maxAttempts: 4}\n"
            + "  citoid: {discovery: {static: [\"10.0.2.1:1970\"]}}\n");
    try (LiveConfig live =
        LiveConfig.watch(
            mesh,
            POLL,
            MeshConfigSource.of(MeshConfig.of(mesh)),
            MeshConfigSource.file(override))) {
      assertEquals("builder + " + override, mesh.configStatus().source());
      assertEquals(Set.of("mathoid", "citoid"), services());
      assertEquals(4, mesh.config("mathoid").retries().maxAttempts());
      assertEquals(
          "static[1 endpoints]",
          mesh.config("mathoid").discovery().describe(),
          "the rest from the builder");
    }
  }

  /** Refreshes twice, a poll interval apart by the mesh clock: a change read then applies. */
  @Test
  void aMeshBuiltFromTheDocumentWithTelemetryAddedAcceptsItsMeshSectionUnchanged(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("mesh.yaml");
    String head = HEAD + "mesh: {localZone: eqiad}\nservices:\n";
    String citoid = "  citoid: {discovery: {static: [\"10.0.2.1:1970\"]}}\n";
    Files.writeString(file, head + citoid);
    // The application's registry: the running mesh has metrics, which its document does not state.
    Telemetry telemetry = Telemetry.builder().meterRegistry(new SimpleMeterRegistry()).build();
    try (Mesh built =
            MeshConfig.load(file).build(builder -> builder.clock(clock).telemetry(telemetry));
        LiveConfig live = LiveConfig.watch(built, POLL, MeshConfigSource.file(file))) {
      assertTrue(built.configStatus().lastError().isEmpty(), built.configStatus()::toString);
      Files.writeString(
          file, head + citoid + "  restbase: {discovery: {static: [\"10.0.3.1:7231\"]}}\n");
      settle(live);
      assertTrue(built.configStatus().lastError().isEmpty(), built.configStatus()::toString);
      assertTrue(built.services().contains(ServiceName.of("restbase")), "the change applied");

      Files.writeString(file, head.replace("eqiad", "codfw") + citoid);
      settle(live);
      String error = built.configStatus().lastError().orElseThrow().message();
      assertTrue(error.contains("mesh.localZone"), error);
    }
  }

  @Test
  void lintWarningsOfTheAppliedDocumentShowInTheStatusUntilItIsReplaced(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("mesh.yaml");
    Files.writeString(
        file,
        HEAD
            + "metadata: {version: v1}\nservices:\n  citoid:\n"
            + "    discovery: {static: [\"10.0.2.1:1970\"]}\n    retryBudget: {enabled: false}\n");
    try (LiveConfig live = LiveConfig.watch(mesh, POLL, MeshConfigSource.file(file))) {
      List<String> warnings = mesh.configStatus().warnings();
      assertEquals(1, warnings.size(), warnings::toString);
      assertTrue(
          warnings.get(0).startsWith(file + ":7:") && warnings.get(0).contains("warning MW106"),
          warnings.get(0));
      write(file, "v2", "citoid");
      settle(live);
      assertEquals("v2", mesh.configStatus().version());
      assertEquals(List.of(), mesh.configStatus().warnings());
    }
  }

  private void settle(LiveConfig live) {
    live.refresh();
    clock.advance(POLL);
    live.refresh();
  }

  private Set<String> services() {
    Set<String> names = new TreeSet<>();
    for (ServiceName name : mesh.services()) {
      names.add(name.value());
    }
    return names;
  }

  private static void write(Path file, String version, String... services) throws Exception {
    StringBuilder text = new StringBuilder(HEAD + "metadata: {version: " + version + "}\n");
    text.append("services:\n");
    int port = 1;
    for (String service : services) {
      text.append("  ")
          .append(service)
          .append(": {discovery: {static: [\"10.0.9.")
          .append(port++)
          .append(":80\"]}}\n");
    }
    Files.writeString(file, text.toString());
  }
}

package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.ConfigDocumentException.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input is refused before anything is built, with a problem naming the file,
 * line, column, field path, value and what was expected.
 */
class BadDocumentTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  static ConfigDocumentException refused(String text) {
    return assertThrows(ConfigDocumentException.class, () -> MeshConfig.parse(text, "mesh.yaml"));
  }

  static Problem only(ConfigDocumentException e) {
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.problems().get(0);
  }

  @Test
  void malformedYamlNamesTheLine() {
    Problem problem = only(refused(HEAD + "services:\n  mathoid: [unclosed\n"));
    assertEquals("mesh.yaml", problem.source());
    assertTrue(problem.line() >= 4, problem.toString());
    assertTrue(problem.expected().startsWith("well-formed YAML or JSON"), problem.toString());
  }

  @Test
  void malformedJsonNamesTheLineAndColumn() {
    ConfigDocumentException e =
        assertThrows(
            ConfigDocumentException.class,
            () ->
                MeshConfig.parse(
                    "{\"apiVersion\": \"meshwork.dev/v1alpha1\",\n \"kind\": }", "mesh.json"));
    Problem problem = only(e);
    assertEquals(2, problem.line(), problem.toString());
    assertTrue(problem.column() > 1, problem.toString());
  }

  @Test
  void aZeroRouteTimeoutNamesTheRoutesField() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                    + "    routes:\n      - {name: all, timeout: 0s}\n"));
    assertEquals("services.mathoid.routes[0].timeout", problem.path());
    assertTrue(problem.expected().contains("timeout"), problem.toString());
  }

  @Test
  void aWrongTypeNamesThePathAndTheValue() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                    + "    retries: {maxAttempts: three}\n"));
    assertEquals("services.mathoid.retries.maxAttempts", problem.path());
    assertEquals("three", problem.value());
    assertEquals(6, problem.line());
    assertTrue(problem.expected().contains("integer"), problem.toString());
  }

  @Test
  void anUnknownFieldIsRefusedNeverIgnored() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n    retrys: {}\n"));
    assertEquals("services.mathoid.retrys", problem.path());
    assertEquals(6, problem.line());
    assertEquals(5, problem.column());
    assertTrue(problem.expected().contains("unknown fields are refused"), problem.toString());
  }

  @Test
  void anOutOfRangeValueNamesTheRange() {
    ConfigDocumentException e =
        refused(
            HEAD
                + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                + "    subsets: {v1: {version: v1}}\n"
                + "    routes:\n      - name: r\n        split:\n          - {subset: v1, weight: 1}\n"
                + "          - {subset: v1, weight: -1}\n");
    Problem problem = e.problems().get(0);
    assertEquals("services.mathoid.routes[0].split[1].weight", problem.path(), e.getMessage());
    assertEquals("-1", problem.value());
    assertEquals(11, problem.line());
    assertTrue(problem.expected().contains("minimum"), problem.toString());
  }

  @Test
  void aRouteToAnUnknownSubsetNamesTheSubsetsDeclared() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                    + "    subsets: {v1: {version: v1}}\n"
                    + "    routes:\n      - name: canary\n        split:\n          - {subset: v1, weight: 95}\n"
                    + "          - {subset: v3, weight: 5}\n"));
    assertEquals("services.mathoid.routes[0].split[1].subset", problem.path());
    assertEquals("v3", problem.value());
    assertEquals(11, problem.line());
    assertEquals("one of the declared subsets [v1]", problem.expected());
  }

  @Test
  void aBuilderRefusalIsPlacedAtItsSection() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                    + "    retries: {backoff: {base: 1s, max: 10ms}}\n"));
    assertEquals("services.mathoid.retries", problem.path());
    assertEquals("PT0.01S", problem.value());
    assertTrue(problem.expected().contains("at least the base"), problem.toString());
  }

  @Test
  void duplicateKeysAreRefused() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                    + "  mathoid:\n    discovery: {static: [\"10.0.0.2:80\"]}\n"));
    assertEquals(6, problem.line(), problem.toString());
    assertTrue(problem.expected().contains("each key once"), problem.toString());
    Problem json =
        only(
            assertThrows(
                ConfigDocumentException.class,
                () -> MeshConfig.parse("{\"kind\": \"Mesh\", \"kind\": \"Mesh\"}", "mesh.json")));
    assertTrue(json.expected().contains("each key once"), json.toString());
  }

  @Test
  void aFiftyMegabyteDocumentIsRefusedBeforeParsing(@TempDir Path dir) throws Exception {
    String huge = HEAD + "# " + "x".repeat(50 * 1024 * 1024) + "\n";
    Problem problem = only(refused(huge));
    assertTrue(
        problem.expected().contains("at most 16777216 characters (16 MiB)"), problem.toString());
    Path file = dir.resolve("huge.yaml");
    Files.writeString(file, huge);
    Problem fromFile =
        only(assertThrows(ConfigDocumentException.class, () -> MeshConfig.load(file)));
    assertEquals(file.toString(), fromFile.source());
    assertTrue(
        fromFile.expected().contains("at most 16777216 bytes (16 MiB)"), fromFile.toString());
  }

  @Test
  void anAliasBombIsRefused() {
    StringBuilder bomb =
        new StringBuilder(HEAD + "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      bomb.append("x").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        bomb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      bomb.append("]\n");
    }
    Problem problem = only(refused(bomb.toString()));
    assertTrue(problem.expected().contains("alias bomb"), problem.toString());
  }

  @Test
  void aliasesWithinTheBudgetAreCopies() {
    MeshConfig config =
        MeshConfig.parse(
            HEAD
                + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                + "    retries: &retries {maxAttempts: 3}\n"
                + "  citoid:\n    discovery: {static: [\"10.0.0.2:80\"]}\n    retries: *retries\n",
            "mesh.yaml");
    assertEquals(3, config.services().get(1).retries().maxAttempts());
  }

  @Test
  void deepNestingIsRefused() {
    String deep = "[".repeat(1000) + "]".repeat(1000);
    Problem yaml = only(refused(HEAD + "deep: " + deep + "\n"));
    assertTrue(yaml.expected().contains("nested at most"), yaml.toString());
    Problem json =
        only(
            assertThrows(
                ConfigDocumentException.class,
                () -> MeshConfig.parse("{\"deep\": " + deep + "}", "mesh.json")));
    assertTrue(
        json.toString().contains("nesting") || json.toString().contains("nested"), json.toString());
  }

  @Test
  void aDocumentOfAnotherKindOrVersionIsRefused() {
    ConfigDocumentException e =
        assertThrows(
            ConfigDocumentException.class,
            () -> MeshConfig.parse("apiVersion: meshwork.dev/v2\nkind: Mesh\n", "mesh.yaml"));
    assertEquals("apiVersion", e.problems().get(0).path());
    Problem empty = only(refused(""));
    assertTrue(empty.expected().startsWith("a mesh document"), empty.toString());
    Problem list = only(refused("- a\n- b\n"));
    assertTrue(list.expected().contains("mapping"), list.toString());
    Problem two = only(refused(HEAD + "---\n" + HEAD));
    assertTrue(two.expected().contains("one document per file"), two.toString());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigDocumentException e =
        refused(
            HEAD
                + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n"
                + "    retries: {maxAttempts: 0}\n"
                + "  citoid:\n    discovery: {static: [\"10.0.0.2:80\"]}\n    timeouts: {connect: 5 s}\n");
    List<String> paths = e.problems().stream().map(Problem::path).toList();
    assertEquals(
        List.of("services.mathoid.retries.maxAttempts", "services.citoid.timeouts.connect"), paths);
  }

  @Test
  void mutualTlsWithoutAnIdentityIsRefused() {
    Problem problem =
        only(
            refused(
                HEAD
                    + "services:\n  mathoid:\n    discovery: {static: [\"10.0.0.1:80\"]}\n    tls: mutual\n"));
    assertEquals("services.mathoid.tls", problem.path());
    assertTrue(problem.expected().contains("mesh.identity"), problem.toString());
  }

  @Test
  void kubernetesDiscoveryIsRefusedSayingWhy() {
    Problem problem =
        only(
            refused(
                HEAD + "services:\n  mathoid:\n    discovery: {kubernetes: {namespace: web}}\n"));
    assertEquals("services.mathoid.discovery.kubernetes", problem.path());
    assertTrue(
        problem.expected().contains("without mesh-discovery-kubernetes on the class path"),
        problem.toString());
  }
}

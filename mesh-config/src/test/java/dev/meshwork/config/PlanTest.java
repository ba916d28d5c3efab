package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.ConfigPlan.Change;
import dev.meshwork.config.ConfigPlan.Change.Kind;
import dev.meshwork.core.Mesh;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans speak in the document's terms, merge defaults, and carry the candidate's findings. */
class PlanTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  static String canary(int v2, String perTry) {
    return HEAD
        + "services:\n"
        + "  mathoid:\n"
        + "    discovery: {static: [\"127.0.0.1:8081 version=v1\", \"127.0.0.1:8082 version=v2\"]}\n"
        + "    timeouts: {perTry: "
        + perTry
        + ", overall: 2s}\n"
        + "    subsets: {v1: {version: v1}, v2: {version: v2}}\n"
        + "    routes:\n"
        + "      - name: render\n"
        + "        match: {path: {prefix: /render}}\n"
        + "        split: [{subset: v1, weight: "
        + (100 - v2)
        + "}, {subset: v2, weight: "
        + v2
        + "}]\n";
  }

  static MeshConfig parse(String text) {
    return MeshConfig.parse(text, "mesh.yaml");
  }

  @Test
  void aCanaryMoveReadsAsTheUserWroteIt() {
    ConfigPlan plan = MeshConfig.plan(parse(canary(5, "600ms")), parse(canary(50, "300ms")));
    assertTrue(plan.hasChanges());
    assertEquals(
        List.of(
            new Change(Kind.CHANGED, "mathoid", "timeouts.perTry", "600ms", "300ms"),
            new Change(Kind.CHANGED, "mathoid route render", "v1 weight", "95", "50"),
            new Change(Kind.CHANGED, "mathoid route render", "v2 weight", "5", "50")),
        plan.changes());
    assertEquals(
        "~ mathoid: timeouts.perTry 600ms -> 300ms\n"
            + "~ mathoid route render: v1 weight 95 -> 50; v2 weight 5 -> 50\n"
            + "3 changes. Lint of the candidate: no findings.\n",
        plan.toString());
  }

  @Test
  void defaultsWrittenOrLeftOutAndJsonOrYamlMakeNoDifference() {
    String yaml = canary(5, "600ms");
    String explicit =
        yaml.replace(
            "    timeouts: {perTry: 600ms, overall: 2s}\n",
            "    timeouts: {connect: 5s, perTry: 600ms, overall: 2s, propagateDeadline: false}\n"
                + "    retries: {maxAttempts: 2, backoff: {base: 25ms, max: 250ms}}\n"
                + "    retryBudget: {enabled: true, percent: 20.0}\n");
    MeshConfig config = parse(yaml);
    ConfigPlan plan = MeshConfig.plan(config, parse(explicit));
    assertFalse(plan.hasChanges(), plan.toString());
    assertEquals("No changes. Lint of the candidate: no findings.\n", plan.toString());
    assertFalse(
        MeshConfig.plan(config, MeshConfig.parse(config.toJson(), "mesh.json")).hasChanges());
  }

  @Test
  void servicesEndpointsSubsetsAndRoutesAddedRemovedOrMoved() {
    String before =
        HEAD
            + "services:\n"
            + "  mathoid:\n"
            + "    discovery: {static: [\"10.0.0.1:80 version=v1\", \"10.0.0.2:80\"]}\n"
            + "    subsets: {v1: {version: v1}}\n"
            + "    routes:\n"
            + "      - {name: svg, match: {path: {prefix: /svg}}}\n"
            + "      - {name: png, match: {path: {prefix: /png}}}\n"
            + "  eventgate:\n"
            + "    discovery: {static: [\"10.0.1.1:80\"]}\n";
    String after =
        HEAD
            + "services:\n"
            + "  mathoid:\n"
            + "    discovery: {static: [\"10.0.0.1:80 version=v2 weight=3\", \"10.0.0.3:80\"]}\n"
            + "    subsets: {v2: {version: v2}}\n"
            + "    outlierDetection: {enabled: false}\n"
            + "    routes:\n"
            + "      - {name: png, match: {path: {prefix: /png}}}\n"
            + "      - {name: svg, match: {path: {prefix: /svg}}}\n"
            + "      - {name: all, split: [{subset: v2, weight: 1}]}\n"
            + "  citoid:\n"
            + "    discovery: {dns: {srv: _http._tcp.citoid.example.org}}\n";
    ConfigPlan plan = MeshConfig.plan(parse(before), parse(after));
    String text = plan.toString();
    for (String expected :
        List.of(
            "+ citoid: service added: dns {srv: _http._tcp.citoid.example.org, timeout: 2s,",
            "- eventgate: service removed (was static, 1 endpoint, 0 subsets, 0 routes)",
            "    endpoint 10.0.0.1:80 weight 1 -> 3\n",
            "    endpoint 10.0.0.1:80 labels.version v1 -> v2\n",
            "    endpoint 10.0.0.3:80 added: {weight: 1}\n",
            "    endpoint 10.0.0.2:80 removed (was {weight: 1})\n",
            "    subset v2 added: {version: v2}\n",
            "    subset v1 removed (was {version: v1})\n",
            "    outlierDetection enabled -> disabled\n",
            "    route order (first match wins) [svg, png] -> [png, svg]\n",
            "+ mathoid route all: route added: {split: [{subset: v2, weight: 1}]}\n")) {
      assertTrue(text.contains(expected), "'" + expected + "' in\n" + text);
    }
    assertEquals(
        new Change(Kind.ADDED, "citoid", "service", "", plan.changes().get(0).after()),
        plan.changes().get(0));
  }

  @Test
  void theCandidatesFindingsComeWithThePlan() {
    String faulty = canary(5, "600ms") + "        fault: {abort: {status: 503, percent: 5}}\n";
    ConfigPlan plan = MeshConfig.plan(parse(canary(5, "600ms")), parse(faulty));
    assertEquals(List.of("MW111"), plan.findings().stream().map(LintFinding::code).toList());
    assertTrue(
        plan.toString().contains("1 change. Lint of the candidate: 1 finding:\n  mesh.yaml:"));
  }

  @Test
  void aRunningMeshPlansAgainstItsOwnDocumentWithoutChanges() {
    MeshConfig config = parse(canary(5, "600ms"));
    try (Mesh mesh = config.build()) {
      MeshConfig running = MeshConfig.of(mesh);
      assertFalse(MeshConfig.plan(running, config).hasChanges());
      ConfigPlan move = MeshConfig.plan(running, parse(canary(50, "600ms")));
      assertEquals(2, move.changes().size(), move.toString());
    }
  }
}

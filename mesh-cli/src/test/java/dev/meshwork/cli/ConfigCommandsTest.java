package dev.meshwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshwork.admin.AdminOptions;
import dev.meshwork.admin.MeshAdmin;
import dev.meshwork.config.MeshConfig;
import dev.meshwork.core.Mesh;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import picocli.CommandLine;

/** {@code meshwork config lint, plan, explain}, run in-process as the real picocli command. */
class ConfigCommandsTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  @TempDir Path dir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine commandLine = Meshwork.commandLine(new Meshwork());
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  static String canary(int v2) {
    return HEAD
        + "services:\n"
        + "  mathoid:\n"
        + "    discovery: {static: [\"127.0.0.1:8081 version=v1\", \"127.0.0.1:8082 version=v2\"]}\n"
        + "    timeouts: {perTry: 300ms, overall: 2s}\n"
        + "    subsets: {v1: {version: v1}, v2: {version: v2}}\n"
        + "    routes:\n"
        + "      - name: render\n"
        + "        split: [{subset: v1, weight: "
        + (100 - v2)
        + "}, {subset: v2, weight: "
        + v2
        + "}]\n";
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void lintPassesACleanDocument() throws Exception {
    Path file = write("mesh.yaml", canary(10));
    assertEquals(0, run("config", "lint", file.toString()), err.toString());
    assertEquals("No findings in 1 file.\n", out.toString());
  }

  @Test
  void lintFailsOnWhatFailOnNames() throws Exception {
    Path file =
        write("chaos.yaml", canary(10) + "        fault: {abort: {status: 503, percent: 5}}\n");
    assertEquals(0, run("config", "lint", file.toString()), out.toString());
    assertTrue(out.toString().contains(file + ":11:9: warning MW111 "), out.toString());
    assertTrue(out.toString().endsWith("0 errors, 1 warning, 0 info in 1 file.\n"), out.toString());
    assertEquals(1, run("config", "lint", "--fail-on", "warning", file.toString()));
  }

  @Test
  void lintReportsARefusedOrMissingDocumentUnderItsCode() throws Exception {
    Path unknown =
        write("unknown.yaml", canary(10).replace("subset: v2, weight", "subset: v3, weight"));
    Path missing = dir.resolve("missing.yaml");
    assertEquals(1, run("config", "lint", unknown.toString(), missing.toString()));
    String text = out.toString();
    assertTrue(
        text.contains(
            unknown + ":10:44: error MW102 services.mathoid.routes[0].split[1].subset: 'v3'"),
        text);
    assertTrue(text.contains(missing + ": error MW100: expected a readable UTF-8 file"), text);
    assertTrue(text.endsWith("2 errors, 0 warnings, 0 info in 2 files.\n"), text);
  }

  @Test
  void lintWritesConftestJsonAndJunitXml() throws Exception {
    Path clean = write("clean.yaml", canary(10));
    Path bad = write("bad.yaml", canary(10).replace("subset: v2, weight", "subset: v3, weight"));
    assertEquals(1, run("config", "lint", "--format", "json", clean.toString(), bad.toString()));
    JsonNode results = new ObjectMapper().readTree(out.toString());
    assertEquals(2, results.size());
    assertEquals(clean.toString(), results.get(0).get("filename").asText());
    assertEquals(0, results.get(0).get("failures").size());
    JsonNode failure = results.get(1).get("failures").get(0);
    assertEquals("MW102", failure.at("/metadata/code").asText());
    assertEquals(10, failure.at("/metadata/line").asInt());
    assertTrue(failure.get("msg").asText().contains("'v3'"), failure.toString());

    assertEquals(1, run("config", "lint", "--format", "junit", clean.toString(), bad.toString()));
    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8)));
    Element suites = xml.getDocumentElement();
    int rules = dev.meshwork.config.ConfigLint.rules().size();
    assertEquals(String.valueOf(2 * rules), suites.getAttribute("tests"));
    assertEquals("1", suites.getAttribute("failures"));
    NodeList failures = xml.getElementsByTagName("failure");
    assertEquals(1, failures.getLength());
    Element testcase = (Element) failures.item(0).getParentNode();
    assertEquals("MW102 unknown-subset", testcase.getAttribute("name"));
    assertEquals(bad.toString(), testcase.getAttribute("classname"));
  }

  @Test
  void lintMergesABaseAndItsOverrideWhenAsked() throws Exception {
    Path base = write("base.yaml", canary(10));
    Path override =
        write("override.yaml", HEAD + "services:\n  mathoid:\n    retryBudget: {enabled: false}\n");
    assertEquals(0, run("config", "lint", "--merged", base.toString(), override.toString()));
    assertTrue(out.toString().contains(override + ":5:19: warning MW106"), out.toString());
  }

  @Test
  void aWrongCommandLineExitsWith2() throws Exception {
    Path file = write("mesh.yaml", canary(10));
    assertEquals(2, run("config", "lint", "--format", "yaml", file.toString()));
    assertTrue(err.toString().contains("--format"), err.toString());
    assertEquals(2, run("config", "plan", file.toString()));
    assertTrue(err.toString().contains("--against"), err.toString());
  }

  @Test
  void explainShowsEverySettingAndWhereItCameFrom() throws Exception {
    Path file = write("mesh.yaml", canary(10));
    assertEquals(0, run("config", "explain", file.toString()), err.toString());
    assertTrue(
        out.toString().contains("services.mathoid.timeouts.perTry = 300ms  # " + file + ":6:"),
        out.toString());
    assertTrue(
        out.toString().contains("services.mathoid.retries.maxAttempts = 2  # default\n"),
        out.toString());
    Path bad = write("bad.yaml", canary(10).replace("perTry: 300ms", "perTry: soon"));
    assertEquals(1, run("config", "explain", bad.toString()));
    assertTrue(err.toString().contains("services.mathoid.timeouts.perTry"), err.toString());
  }

  @Test
  void planAgainstAFileExits0WithoutChangesAnd3WithThem() throws Exception {
    Path current = write("current.yaml", canary(10));
    Path same = write("same.json", MeshConfig.load(current).toJson());
    assertEquals(0, run("config", "plan", "--against", current.toString(), same.toString()));
    assertEquals("No changes. Lint of the candidate: no findings.\n", out.toString());

    Path moved = write("moved.yaml", canary(50));
    assertEquals(3, run("config", "plan", "--against", current.toString(), moved.toString()));
    assertEquals(
        "~ mathoid route render: v1 weight 90 -> 50; v2 weight 10 -> 50\n"
            + "2 changes. Lint of the candidate: no findings.\n",
        out.toString());

    Path refused = write("refused.yaml", canary(50).replace("weight: 50}]", "weight: -1}]"));
    assertEquals(1, run("config", "plan", "--against", current.toString(), refused.toString()));
    assertTrue(err.toString().contains("nothing was changed"), err.toString());
  }

  @Test
  void planAgainstARunningMeshReadsItsAdminEndpoint() throws Exception {
    Path running = write("running.yaml", canary(10));
    try (Mesh mesh = MeshConfig.load(running).build()) {
      MeshAdmin admin = MeshAdmin.start(mesh, AdminOptions.builder().port(0).build());
      String url = admin.uri().toString();

      assertEquals(0, run("config", "plan", "--against", url, running.toString()), err.toString());
      assertEquals("No changes. Lint of the candidate: no findings.\n", out.toString());

      Path moved = write("moved.yaml", canary(50).replace("perTry: 300ms", "perTry: 250ms"));
      assertEquals(3, run("config", "plan", "--against", url, moved.toString()), err.toString());
      assertEquals(
          "~ mathoid: timeouts.perTry 300ms -> 250ms\n"
              + "~ mathoid route render: v1 weight 90 -> 50; v2 weight 10 -> 50\n"
              + "3 changes. Lint of the candidate: no findings.\n",
          out.toString());

      String yamlPage = admin.uri().resolve("/config/document").toString();
      assertEquals(3, run("config", "plan", "--against", yamlPage, moved.toString()));

      String missing = admin.uri().resolve("/no-such-page").toString();
      assertEquals(1, run("config", "plan", "--against", missing, moved.toString()));
      assertTrue(err.toString().contains("answered 404"), err.toString());
    }
  }

  @Test
  void planAgainstAnAdminEndpointThatIsNotThereExits1() throws Exception {
    Path moved = write("moved.yaml", canary(50));
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    assertEquals(1, run("config", "plan", "--against", url, moved.toString()));
    assertTrue(
        err.toString()
            .contains(
                "cannot read the running mesh's document from " + url + "/config/document.json"),
        err.toString());
  }

  static final String REVIEWS_ROUTES =
      "apiVersion: networking.istio.io/v1\n"
          + "kind: VirtualService\n"
          + "metadata: {name: mathoid}\n"
          + "spec:\n"
          + "  hosts: [mathoid.default.svc.cluster.local]\n"
          + "  http:\n"
          + "    - route: [{destination: {host: mathoid}}]\n"
          + "      corsPolicy: {allowOrigins: [{exact: \"https://example.org\"}]}\n";

  @Test
  void importedManifestsAreLintedPlannedAndExplainedAndStrictRefusesThem() throws Exception {
    Path base = write("mesh.yaml", canary(10));
    Path routes = write("routes.yaml", REVIEWS_ROUTES);
    String path = "VirtualService mathoid: spec.http[0].corsPolicy";

    assertEquals(0, run("config", "lint", "--merged", base.toString(), routes.toString()));
    assertTrue(out.toString().contains(routes + ":8:7: warning MW113 " + path), out.toString());
    assertEquals(
        1, run("config", "lint", "--merged", "--strict", base.toString(), routes.toString()));
    assertTrue(out.toString().contains(routes + ":8:7: error MW113 " + path), out.toString());

    assertEquals(0, run("config", "explain", base.toString(), routes.toString()), err.toString());
    assertTrue(
        out.toString()
            .contains("services.mathoid.routes[0].name = mathoid-0  # " + routes + ":7:7"),
        out.toString());
    assertEquals(1, run("config", "explain", "--strict", base.toString(), routes.toString()));
    assertTrue(err.toString().contains(routes + ":8:7: " + path + ": "), err.toString());

    assertEquals(
        Meshwork.CHANGES,
        run("config", "plan", "--against", base.toString(), base.toString(), routes.toString()));
    assertTrue(out.toString().contains("warning MW113"), out.toString());
    assertEquals(
        1,
        run(
            "config",
            "plan",
            "--strict",
            "--against",
            base.toString(),
            base.toString(),
            routes.toString()));
  }
}

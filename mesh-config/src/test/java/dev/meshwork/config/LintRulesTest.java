package dev.meshwork.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.meshwork.config.LintFinding.Severity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each lint rule: a document that triggers it, and a close one that does not. */
class LintRulesTest {
  static final String HEAD = "apiVersion: meshwork.dev/v1alpha1\nkind: Mesh\n";

  /** mathoid with a v1 and a v2 endpoint and a subset for each. */
  static final String MATHOID =
      """
      services:
        mathoid:
          discovery: {static: ["10.0.0.1:80 version=v1", "10.0.0.2:80 version=v2"]}
          subsets: {v1: {version: v1}, v2: {version: v2}}
      """;

  static List<LintFinding> lint(String document) {
    return ConfigLint.lint(HEAD + document, "mesh.yaml");
  }

  /** The one finding of {@code code}; fails when there is none or more than one. */
  static LintFinding only(String code, String document) {
    List<LintFinding> findings = lint(document);
    List<LintFinding> of = findings.stream().filter(f -> f.code().equals(code)).toList();
    assertEquals(1, of.size(), "one " + code + " in " + findings);
    return of.get(0);
  }

  static void none(String code, String document) {
    List<LintFinding> findings = lint(document);
    assertTrue(findings.stream().noneMatch(f -> f.code().equals(code)), findings.toString());
  }

  @Test
  void mw100AnyOtherRefusalIsAnErrorAtItsField() {
    LintFinding finding = only("MW100", MATHOID + "    retries: {maxAttempts: 0}\n");
    assertEquals(Severity.ERROR, finding.severity());
    assertEquals("services.mathoid.retries.maxAttempts", finding.path());
    assertEquals(7, finding.line(), finding.toString());
    none("MW100", MATHOID + "    retries: {maxAttempts: 2}\n");
  }

  @Test
  void mw101AllZeroSplitWeights() {
    String route = "    routes:\n      - name: render\n        split: [{subset: v1, weight: 0}, ";
    LintFinding finding = only("MW101", MATHOID + route + "{subset: v2, weight: 0}]\n");
    assertEquals(Severity.ERROR, finding.severity());
    assertTrue(finding.path().startsWith("services.mathoid.routes[0]"), finding.toString());
    none("MW101", MATHOID + route + "{subset: v2, weight: 1}]\n");
  }

  @Test
  void mw102ARouteToAnUnknownSubset() {
    String route = "    routes:\n      - name: render\n        split: [{subset: v1, weight: 90}, ";
    LintFinding finding = only("MW102", MATHOID + route + "{subset: v3, weight: 10}]\n");
    assertEquals("services.mathoid.routes[0].split[1].subset", finding.path());
    assertEquals(Severity.ERROR, finding.severity());
    assertEquals(9, finding.line());
    assertTrue(finding.message().contains("'v3'"), finding.message());
    none("MW102", MATHOID + route + "{subset: v2, weight: 10}]\n");
  }

  @Test
  void mw103ASubsetThatSelectsNoStaticEndpoint() {
    String doc =
        """
        services:
          mathoid:
            discovery: {static: ["10.0.0.1:80 version=v1"]}
            subsets: {v1: {version: v1}, v2: {version: v2}}
            routes:
              - name: render
                split: [{subset: v1, weight: 95}, {subset: v2, weight: 5}]
        """;
    LintFinding finding = only("MW103", doc);
    assertEquals(Severity.ERROR, finding.severity());
    assertEquals("services.mathoid.subsets.v2", finding.path());
    assertTrue(finding.message().contains("version=v1"), finding.message());
    assertTrue(finding.message().contains("route 'render' sends it 5 of 100"), finding.message());
    none("MW103", MATHOID + doc.substring(doc.indexOf("    routes:")));
  }

  @Test
  void mw103DnsAnswersCarryNoLabels() {
    String dns =
        "services:\n  mathoid:\n    discovery: {dns: {srv: _http._tcp.mathoid.example.org}}\n";
    String doc =
        dns
            + "    subsets: {v2: {version: v2}}\n"
            + "    routes:\n      - {name: pinned, overrides: [{header: x-canary, value: always,"
            + " subset: v2}]}\n";
    LintFinding finding = only("MW103", doc);
    assertEquals(Severity.ERROR, finding.severity());
    assertTrue(finding.message().contains("DNS answers carry no labels"), finding.message());
    none("MW103", dns);
  }

  @Test
  void mw103AnEndpointsFileIsReadAsItIsNow(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("endpoints.yaml");
    Files.writeString(
        file, "services:\n  mathoid:\n    - {address: 10.0.0.1:80, labels: {version: v1}}\n");
    String doc =
        "services:\n  mathoid:\n    discovery: {file: {path: '"
            + file
            + "'}}\n    subsets: {v2: {version: v2}}\n"
            + "    routes:\n      - name: render\n        split: [{subset: v2, weight: 1}]\n";
    LintFinding finding = only("MW103", doc);
    assertEquals(Severity.WARNING, finding.severity(), "the file may change: " + finding);
    Files.writeString(
        file, "services:\n  mathoid:\n    - {address: 10.0.0.1:80, labels: {version: v2}}\n");
    none("MW103", doc);
    Files.delete(file);
    LintFinding unread = only("MW103", doc);
    assertEquals(Severity.INFO, unread.severity());
    assertTrue(unread.message().contains("were not checked"), unread.message());
  }

  @Test
  void mw104RetriesOfAPostRouteWithoutAnIdempotencyMark() {
    String route = "    routes:\n      - name: charge\n        match: {methods: [POST]";
    LintFinding finding = only("MW104", MATHOID + route + "}\n");
    assertEquals("services.mathoid.routes[0].match.methods", finding.path());
    assertEquals(Severity.WARNING, finding.severity());
    assertTrue(finding.message().contains("[POST]"), finding.message());
    none("MW104", MATHOID + route + ", headers: [{name: Idempotency-Key, present: true}]}\n");
    none(
        "MW104",
        MATHOID + "    retries: {retryOn: [connectFailure, refusedStream]}\n" + route + "}\n");
  }

  @Test
  void mw105PerTryTimesAttemptsLongerThanTheDeadline() {
    LintFinding finding =
        only(
            "MW105",
            MATHOID
                + "    timeouts: {perTry: 1s, overall: 2s}\n"
                + "    retries: {maxAttempts: 3}\n");
    assertEquals("services.mathoid.timeouts.perTry", finding.path());
    assertEquals(7, finding.line());
    assertTrue(finding.message().contains("only 1 attempt fits"), finding.message());
    LintFinding noTime = only("MW105", MATHOID + "    timeouts: {perTry: 2s, overall: 2s}\n");
    assertTrue(noTime.message().contains("leaves no time"), noTime.message());
    none(
        "MW105",
        MATHOID + "    timeouts: {perTry: 600ms, overall: 2s}\n    retries: {maxAttempts: 3}\n");
  }

  @Test
  void mw106RetriesWithoutABudget() {
    LintFinding finding = only("MW106", MATHOID + "    retryBudget: {enabled: false}\n");
    assertEquals("services.mathoid.retryBudget.enabled", finding.path());
    none("MW106", MATHOID + "    retryBudget: {enabled: false}\n    retries: {maxAttempts: 1}\n");
  }

  @Test
  void mw107HedgingOnANonIdempotentRoute() {
    String hedged = MATHOID + "    hedging: {delay: 50ms}\n    routes:\n      - name: r\n";
    LintFinding finding = only("MW107", hedged + "        match: {methods: [POST, GET]}\n");
    assertTrue(finding.message().contains("[POST]"), finding.message());
    none("MW107", hedged + "        match: {methods: [GET]}\n");
  }

  @Test
  void mw108ARouteShadowedByAnEarlierOne() {
    String render = "      - {name: render, match: {path: {prefix: /render}}}\n";
    String svg =
        "      - {name: svg, match: {path: {prefix: /render/svg}, methods: [GET],"
            + " headers: [{name: x-tenant, exact: wiki}]}}\n";
    LintFinding finding = only("MW108", MATHOID + "    routes:\n" + render + svg);
    assertEquals("services.mathoid.routes[1]", finding.path());
    assertTrue(finding.message().contains("'render'"), finding.message());
    none("MW108", MATHOID + "    routes:\n" + svg + render);
    String tenant = "      - {name: wiki, match: {headers: [{name: x-tenant, regex: 'w.*'}]}}\n";
    only("MW108", MATHOID + "    routes:\n" + tenant + svg);
  }

  @Test
  void mw109DialectSensitiveAndInvalidRegularExpressions() {
    String route = "    routes:\n      - {name: r, match: {path: {regex: '";
    LintFinding lookahead = only("MW109", MATHOID + route + "/(?!admin).*'}}}\n");
    assertEquals(Severity.WARNING, lookahead.severity());
    assertEquals("services.mathoid.routes[0].match.path.regex", lookahead.path());
    assertTrue(lookahead.message().contains("lookahead"), lookahead.message());
    LintFinding possessive = only("MW109", MATHOID + route + "/a++b'}}}\n");
    assertTrue(possessive.message().contains("possessive"), possessive.message());
    LintFinding repeated = only("MW109", MATHOID + route + "(/[a-z]+)*'}}}\n");
    assertTrue(repeated.message().contains("repeats the group"), repeated.message());
    LintFinding invalid = only("MW109", MATHOID + route + "/[a-'}}}\n");
    assertEquals(Severity.ERROR, invalid.severity());
    none("MW109", MATHOID + route + "/v[0-9]+/[a-z/]*'}}}\n");
    LintFinding header =
        only(
            "MW109",
            MATHOID
                + "    routes:\n      - {name: r, match: {headers: [{name: x-user,"
                + " regex: '(a)\\1'}]}}\n");
    assertEquals("services.mathoid.routes[0].match.headers[0].regex", header.path());
  }

  @Test
  void mw110PlaintextWhileTheMeshHasAnIdentity() {
    String identity =
        "mesh:\n  identity:\n    builtInCa: {directory: /etc/meshwork/ca, workload: restbase}\n";
    LintFinding finding = only("MW110", identity + MATHOID + "    tls: disabled\n");
    assertEquals("services.mathoid.tls", finding.path());
    none("MW110", identity + MATHOID);
    none("MW110", MATHOID + "    tls: disabled\n");
  }

  @Test
  void mw111FaultInjectionWithoutATriggerHeader() {
    String route =
        "    routes:\n      - name: chaos\n        fault: {abort: {status: 503, percent: 5}";
    LintFinding finding = only("MW111", MATHOID + route + "}\n");
    assertEquals("services.mathoid.routes[0].fault", finding.path());
    assertTrue(
        finding.message().contains("fails 5% of its calls with status 503"), finding.message());
    none("MW111", MATHOID + route + ", triggerHeader: x-chaos}\n");
  }

  @Test
  void mw112EjectingEveryEndpointWithPanicOff() {
    String outliers = "    outlierDetection: {maxEjectionPercent: 100, panicThresholdPercent: ";
    LintFinding finding = only("MW112", MATHOID + outliers + "0}\n");
    assertEquals("services.mathoid.outlierDetection.maxEjectionPercent", finding.path());
    none("MW112", MATHOID + outliers + "50}\n");
  }

  @Test
  void mw113AnUnknownField() {
    LintFinding finding = only("MW113", MATHOID + "    retrys: {maxAttempts: 3}\n");
    assertEquals("services.mathoid.retrys", finding.path());
    assertEquals(Severity.ERROR, finding.severity());
    assertEquals(7, finding.line());
    none("MW113", MATHOID + "    retries: {maxAttempts: 3}\n");
  }

  @Test
  void mw114HedgingWithASingleAttempt() {
    String hedged = MATHOID + "    hedging: {delay: 50ms}\n    retries: {maxAttempts: ";
    LintFinding finding = only("MW114", hedged + "1}\n");
    assertEquals("services.mathoid.hedging.delay", finding.path());
    none("MW114", hedged + "2}\n");
  }

  @Test
  void aCleanDocumentHasNoFindingsAndGravestComeFirst() {
    assertEquals(List.of(), lint(MATHOID));
    assertEquals(List.of(), MeshConfig.parse(HEAD + MATHOID, "mesh.yaml").lint());
    List<LintFinding> findings =
        lint(
            MATHOID
                + "    retryBudget: {enabled: false}\n"
                + "    routes:\n      - {name: a, split: [{subset: v1, weight: 1}]}\n"
                + "      - {name: b, split: [{subset: v3, weight: 1}]}\n");
    assertEquals("MW102", findings.get(0).code(), findings.toString());
  }

  @Test
  void everyRuleHasAStableCodeAndAnEntryInTheCatalogue() throws Exception {
    String catalogue = Files.readString(Path.of("..", "docs", "config", "lint-rules.md"));
    List<ConfigLint.Rule> rules = ConfigLint.rules();
    assertTrue(rules.size() >= 13, rules.toString());
    for (ConfigLint.Rule rule : rules) {
      assertTrue(rule.code().matches("MW1[0-9]{2}"), rule.code());
      assertTrue(
          catalogue.contains("## " + rule.code() + " " + rule.name()),
          "docs/config/lint-rules.md has no section '## " + rule.code() + " " + rule.name() + "'");
    }
  }
}

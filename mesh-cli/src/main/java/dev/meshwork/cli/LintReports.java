package dev.meshwork.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.meshwork.config.ConfigLint;
import dev.meshwork.config.LintFinding;
import dev.meshwork.config.LintFinding.Severity;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes lint findings as text, as Conftest's JSON results, or as JUnit XML. */
final class LintReports {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LintReports() {}

  /** One finding a line, then a count. */
  static String text(Map<String, List<LintFinding>> byFile) {
    StringBuilder text = new StringBuilder();
    int[] counts = new int[Severity.values().length];
    byFile
        .values()
        .forEach(
            findings ->
                findings.forEach(
                    f -> {
                      text.append(f).append('\n');
                      counts[f.severity().ordinal()]++;
                    }));
    String files = byFile.size() == 1 ? "1 file" : byFile.size() + " files";
    if (counts[0] + counts[1] + counts[2] == 0) {
      return text.append("No findings in ").append(files).append(".\n").toString();
    }
    return text.append(count(counts[0], "error"))
        .append(", ")
        .append(count(counts[1], "warning"))
        .append(", ")
        .append(count(counts[2], "info"))
        .append(" in ")
        .append(files)
        .append(".\n")
        .toString();
  }

  /**
   * Conftest's JSON: a result per file with {@code filename}, {@code namespace}, {@code successes}
   * (rules without a finding), {@code failures} (errors) and {@code warnings} (warnings and infos),
   * each {@code {msg, metadata}}; the metadata holds the code, severity, place and fix.
   */
  static String json(Map<String, List<LintFinding>> byFile) {
    ArrayNode results = JSON.createArrayNode();
    int rules = ConfigLint.rules().size();
    byFile.forEach(
        (file, findings) -> {
          ObjectNode result = results.addObject();
          result.put("filename", file);
          result.put("namespace", "meshwork");
          result.put(
              "successes",
              rules - (int) findings.stream().map(LintFinding::code).distinct().count());
          ArrayNode failures = result.putArray("failures");
          ArrayNode warnings = result.putArray("warnings");
          for (LintFinding finding : findings) {
            ObjectNode item =
                (finding.severity() == Severity.ERROR ? failures : warnings).addObject();
            item.put("msg", finding.message());
            ObjectNode metadata = item.putObject("metadata");
            metadata.put("code", finding.code());
            metadata.put("severity", finding.severity().name().toLowerCase(Locale.ROOT));
            metadata.put("source", finding.source());
            metadata.put("line", finding.line());
            metadata.put("column", finding.column());
            metadata.put("path", finding.path());
            metadata.put("hint", finding.hint());
          }
        });
    try {
      return JSON.writeValueAsString(results);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * JUnit XML: a test suite per file and a test case per rule, failed when the rule has a finding
   * at or above {@code failOn}; milder findings are the test's output.
   */
  static String junit(Map<String, List<LintFinding>> byFile, Severity failOn) {
    StringWriter xml = new StringWriter();
    List<ConfigLint.Rule> rules = ConfigLint.rules();
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(xml);
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuites");
      w.writeAttribute("name", "meshwork config lint");
      w.writeAttribute("tests", String.valueOf(rules.size() * byFile.size()));
      w.writeAttribute("failures", String.valueOf(failed(byFile, failOn)));
      for (Map.Entry<String, List<LintFinding>> file : byFile.entrySet()) {
        w.writeCharacters("\n  ");
        w.writeStartElement("testsuite");
        w.writeAttribute("name", file.getKey());
        w.writeAttribute("tests", String.valueOf(rules.size()));
        w.writeAttribute(
            "failures", String.valueOf(failed(Map.of(file.getKey(), file.getValue()), failOn)));
        for (ConfigLint.Rule rule : rules) {
          List<LintFinding> found =
              file.getValue().stream().filter(f -> f.code().equals(rule.code())).toList();
          w.writeCharacters("\n    ");
          w.writeStartElement("testcase");
          w.writeAttribute("classname", file.getKey());
          w.writeAttribute("name", rule.code() + " " + rule.name());
          List<LintFinding> failing =
              found.stream().filter(f -> f.severity().atLeast(failOn)).toList();
          if (!failing.isEmpty()) {
            w.writeStartElement("failure");
            w.writeAttribute("message", failing.get(0).message());
            w.writeAttribute("type", failing.get(0).severity().name().toLowerCase(Locale.ROOT));
            w.writeCharacters(lines(failing));
            w.writeEndElement();
          }
          if (failing.size() < found.size()) {
            w.writeStartElement("system-out");
            w.writeCharacters(
                lines(found.stream().filter(f -> !f.severity().atLeast(failOn)).toList()));
            w.writeEndElement();
          }
          w.writeEndElement();
        }
        w.writeCharacters("\n  ");
        w.writeEndElement();
      }
      w.writeCharacters("\n");
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing JUnit XML failed", e);
    }
    return xml.toString();
  }

  /** Test cases that fail: rules with a finding at or above {@code failOn}, per file. */
  private static long failed(Map<String, List<LintFinding>> byFile, Severity failOn) {
    return byFile.values().stream()
        .mapToLong(
            findings ->
                findings.stream()
                    .filter(f -> f.severity().atLeast(failOn))
                    .map(LintFinding::code)
                    .distinct()
                    .count())
        .sum();
  }

  private static String lines(List<LintFinding> findings) {
    StringBuilder text = new StringBuilder();
    findings.forEach(f -> text.append(f).append('\n'));
    return text.toString();
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 || noun.equals("info") ? "" : "s");
  }
}

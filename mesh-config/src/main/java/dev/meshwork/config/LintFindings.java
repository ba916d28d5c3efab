package dev.meshwork.config;

import dev.meshwork.config.internal.Finding;
import dev.meshwork.config.internal.Lint;
import dev.meshwork.config.internal.LintRule;
import dev.meshwork.config.internal.Location;
import dev.meshwork.config.internal.Problems;
import dev.meshwork.config.internal.imports.ImportNote;
import dev.meshwork.core.ServiceConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** A config's lint findings as the API shows them: placed at their file, line and column. */
final class LintFindings {
  private LintFindings() {}

  static List<LintFinding> of(
      List<ImportNote> notes,
      List<ServiceConfig> services,
      boolean secure,
      Map<String, Location> origins,
      String fallbackOrigin) {
    List<LintFinding> findings = new ArrayList<>();
    for (ImportNote note : notes) {
      findings.add(
          new LintFinding(
              LintRule.UNSUPPORTED_FIELD.code(),
              LintFinding.Severity.WARNING,
              note.source(),
              note.line(),
              note.column(),
              note.path(),
              note.message(),
              "remove the field, or configure its Meshwork equivalent in the mesh document"
                  + " (docs/config/importers.md)"));
    }
    for (Finding finding : Lint.lint(services, secure)) {
      Location at = Problems.nearest(origins, finding.path());
      findings.add(
          new LintFinding(
              finding.rule().code(),
              severity(finding.level()),
              at == null ? fallbackOrigin : at.source(),
              at == null ? 0 : at.line(),
              at == null ? 0 : at.column(),
              finding.path(),
              finding.message(),
              finding.hint()));
    }
    findings.sort(
        Comparator.comparing(LintFinding::severity)
            .thenComparing(LintFinding::source)
            .thenComparingInt(LintFinding::line)
            .thenComparingInt(LintFinding::column)
            .thenComparing(LintFinding::code));
    return List.copyOf(findings);
  }

  static LintFinding.Severity severity(LintRule.Level level) {
    return LintFinding.Severity.valueOf(level.name());
  }
}

package dev.meshwork.reliability;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** How each scenario's test ends: print the report, keep it in target/, and check every target. */
final class Targets {
  private Targets() {}

  static void assertMet(Report report) throws IOException {
    System.out.print(report.text());
    report.write(Options.reduced().output());
    List<Executable> checks = new ArrayList<>();
    for (Report.Figure figure : report.figures()) {
      checks.add(
          () ->
              assertTrue(
                  figure.met(),
                  () ->
                      report.scenario()
                          + ": "
                          + figure.name()
                          + " = "
                          + figure.value()
                          + ", target "
                          + figure.target()
                          + "\n"
                          + report.text()));
    }
    assertTrue(report.figures().size() > 3, "the report has its figures: " + report.text());
    assertAll(report.scenario(), checks);
  }
}

package dev.meshwork.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What one run of a scenario measured: each figure the issue names, and for those with a target,
 * the target and whether it was met. Printed as text and written as JSON; nothing counts as passed
 * without its figure.
 */
public final class Report {
  /**
   * One figure.
   *
   * @param name what was measured
   * @param value the figure, as text
   * @param target the target it is judged against, or empty for a figure reported only
   * @param met whether the target was met (true for a figure without one)
   */
  public record Figure(String name, String value, String target, boolean met) {}

  private final String scenario;
  private final String form;
  private final Instant started;
  private final Map<String, String> settings;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Report(String scenario, Options options, Instant started) {
    this.scenario = scenario;
    this.form = options.form();
    this.started = started;
    this.settings = options.used();
  }

  /** Reports {@code value} without a target. */
  public synchronized Report figure(String name, Object value) {
    figures.add(new Figure(name, render(value), "", true));
    return this;
  }

  /** Reports {@code value} against {@code target}; {@code met} says whether it holds. */
  public synchronized Report check(String name, Object value, String target, boolean met) {
    figures.add(new Figure(name, render(value), target, met));
    return this;
  }

  /** A line of context: what happened, what a figure means, what was scaled down. */
  public synchronized Report note(String text) {
    notes.add(text);
    return this;
  }

  public String scenario() {
    return scenario;
  }

  public synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  /** The figure named {@code name}. */
  public synchronized Figure get(String name) {
    for (Figure figure : figures) {
      if (figure.name().equals(name)) {
        return figure;
      }
    }
    throw new IllegalArgumentException("report of " + scenario + " has no figure '" + name + "'");
  }

  /** The figures whose target was missed, as text; empty when every target was met. */
  public synchronized List<String> failures() {
    List<String> missed = new ArrayList<>();
    for (Figure figure : figures) {
      if (!figure.met()) {
        missed.add(figure.name() + " = " + figure.value() + ", target " + figure.target());
      }
    }
    return missed;
  }

  public boolean passed() {
    return failures().isEmpty();
  }

  public synchronized String text() {
    StringBuilder out = new StringBuilder();
    out.append("== ")
        .append(scenario)
        .append(" (")
        .append(form)
        .append(" form, started ")
        .append(started)
        .append("): ")
        .append(passed() ? "PASSED" : "FAILED")
        .append('\n');
    out.append("settings: ").append(settings).append('\n');
    int width = 0;
    for (Figure figure : figures) {
      width = Math.max(width, figure.name().length());
    }
    for (Figure figure : figures) {
      out.append(
          String.format(Locale.ROOT, "  %-" + width + "s  %s", figure.name(), figure.value()));
      if (!figure.target().isEmpty()) {
        out.append("   (target ")
            .append(figure.target())
            .append(figure.met() ? ": met)" : ": MISSED)");
      }
      out.append('\n');
    }
    for (String note : notes) {
      out.append("  note: ").append(note).append('\n');
    }
    return out.toString();
  }

  public synchronized String json() {
    StringBuilder out = new StringBuilder("{\n");
    out.append("  \"scenario\": ").append(quote(scenario)).append(",\n");
    out.append("  \"form\": ").append(quote(form)).append(",\n");
    out.append("  \"started\": ").append(quote(started.toString())).append(",\n");
    out.append("  \"passed\": ").append(passed()).append(",\n");
    out.append("  \"settings\": {");
    String separator = "";
    for (Map.Entry<String, String> setting : new java.util.TreeMap<>(settings).entrySet()) {
      out.append(separator).append(quote(setting.getKey())).append(": ");
      out.append(quote(setting.getValue()));
      separator = ", ";
    }
    out.append("},\n  \"figures\": [\n");
    for (int i = 0; i < figures.size(); i++) {
      Figure figure = figures.get(i);
      out.append("    {\"name\": ")
          .append(quote(figure.name()))
          .append(", \"value\": ")
          .append(quote(figure.value()));
      if (!figure.target().isEmpty()) {
        out.append(", \"target\": ")
            .append(quote(figure.target()))
            .append(", \"met\": ")
            .append(figure.met());
      }
      out.append(i + 1 < figures.size() ? "},\n" : "}\n");
    }
    out.append("  ],\n  \"notes\": [");
    for (int i = 0; i < notes.size(); i++) {
      out.append(i == 0 ? "\n    " : ",\n    ").append(quote(notes.get(i)));
    }
    out.append(notes.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    return out.toString();
  }

  /** Writes {@code <scenario>-<form>.json} and {@code .txt} into {@code directory}. */
  public Path write(Path directory) throws IOException {
    Files.createDirectories(directory);
    Path json = directory.resolve(scenario + "-" + form + ".json");
    Files.writeString(json, json());
    Files.writeString(directory.resolve(scenario + "-" + form + ".txt"), text());
    return json;
  }

  /** Fractional numbers with two decimals, everything else as is. */
  private static String render(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return String.format(Locale.ROOT, "%.2f", ((Number) value).doubleValue());
    }
    return String.valueOf(value);
  }

  static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.3f%%", fraction * 100);
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}

package dev.meshwork.config;

import java.util.List;
import java.util.Objects;

/**
 * A mesh document that was refused: malformed, too large, not matching the schema, or describing a
 * mesh the builders refuse. It lists every problem found, each naming the file, the line and
 * column, the field path (such as {@code services.mathoid.routes[0].split[1].weight}), the value
 * and what was expected. Nothing was built or applied when this is thrown.
 */
public final class ConfigDocumentException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The problems, in document order; never empty. */
  private final transient List<Problem> problems;

  public ConfigDocumentException(List<Problem> problems) {
    super(message(problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in document order. */
  public List<Problem> problems() {
    return problems;
  }

  private static String message(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a refused document has at least one problem");
    }
    StringBuilder text =
        new StringBuilder(problems.size() == 1 ? "1 problem" : problems.size() + " problems")
            .append(" in the mesh document:");
    for (Problem problem : problems) {
      text.append("\n  ").append(problem);
    }
    return text.toString();
  }

  /**
   * One thing wrong with a document.
   *
   * @param source the file or resource name the document came from
   * @param line the line, from 1; 0 when the problem concerns the document as a whole
   * @param column the column, from 1; 0 when unknown
   * @param path the field path, such as {@code services.mathoid.retries.maxAttempts}; empty for the
   *     whole document
   * @param value the value found, as text; empty when the field is missing
   * @param expected what would have been accepted
   */
  public record Problem(
      String source, int line, int column, String path, String value, String expected) {

    public Problem {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(value, "value");
      Objects.requireNonNull(expected, "expected");
    }

    /** {@code file:line:column: path: 'value' is invalid; expected ...}. */
    @Override
    public String toString() {
      StringBuilder text = Positions.at(source, line, column);
      text.append(": ");
      if (!path.isEmpty()) {
        text.append(path).append(": ");
      }
      if (!value.isEmpty()) {
        text.append(quote(value)).append(" is invalid; ");
      }
      return text.append("expected ").append(expected).toString();
    }

    private static String quote(String value) {
      String shown = value.length() > 120 ? value.substring(0, 117) + "..." : value;
      return "'" + shown + "'";
    }
  }
}

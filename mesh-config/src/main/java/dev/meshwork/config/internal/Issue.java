package dev.meshwork.config.internal;

import java.util.List;

/**
 * One problem of a document as the internals find it; {@code MeshConfig} hands it to the caller as
 * a {@code ConfigDocumentException.Problem}.
 *
 * @param source the file or resource name
 * @param line the line from 1, 0 for the whole document
 * @param column the column from 1, 0 when unknown
 * @param path the field path
 * @param value the value found, empty when missing
 * @param expected what would have been accepted
 */
public record Issue(
    String source, int line, int column, String path, String value, String expected) {

  /** The problems of a refused document, thrown inside the module and translated at its API. */
  public static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Issue> issues;

    Refused(List<Issue> issues) {
      super(issues.size() + " problems", null, false, false);
      this.issues = List.copyOf(issues);
    }

    public List<Issue> issues() {
      return issues;
    }
  }
}

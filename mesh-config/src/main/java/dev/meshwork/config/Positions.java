package dev.meshwork.config;

/** The {@code file:line:column} prefix shared by problems and lint findings. */
final class Positions {
  private Positions() {}

  /** {@code source}, then {@code :line} and {@code :column} where each is known (above 0). */
  static StringBuilder at(String source, int line, int column) {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line);
      if (column > 0) {
        text.append(':').append(column);
      }
    }
    return text;
  }
}

package dev.meshwork.config.internal;

/**
 * Where a value was written: the source's name, and its line and column from 1.
 *
 * @param source the file or resource name
 * @param line the line, from 1
 * @param column the column, from 1
 */
public record Location(String source, int line, int column) {
  @Override
  public String toString() {
    return source + ":" + line + ":" + column;
  }
}

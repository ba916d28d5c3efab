package dev.meshwork.config.internal.imports;

/**
 * A field of an imported object that Meshwork does not honour and leaves out (lint rule MW113 as a
 * warning; strict mode refuses the import instead).
 *
 * @param source the file
 * @param line the line, from 1; 0 when unknown
 * @param column the column, from 1; 0 when unknown
 * @param path the object and field, such as {@code VirtualService reviews: spec.http[0].corsPolicy}
 * @param value the value written, as one line
 * @param reason why Meshwork does not honour it
 */
public record ImportNote(
    String source, int line, int column, String path, String value, String reason) {

  /** What a lint finding says. */
  public String message() {
    return "'" + value + "' is not honoured: " + reason + "; it is left out of the mesh";
  }
}

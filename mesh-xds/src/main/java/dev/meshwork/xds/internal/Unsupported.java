package dev.meshwork.xds.internal;

/**
 * A field of an accepted xDS resource that Meshwork does not honour: reported once, never silently
 * dropped.
 *
 * @param type the resource type, such as {@code Cluster}
 * @param resource the resource's name
 * @param field the field's path inside the resource, such as {@code
 *     circuit_breakers.thresholds[0].max_retries}
 * @param value the value it has, shortened
 * @param why what Meshwork does instead
 */
public record Unsupported(String type, String resource, String field, String value, String why) {

  @Override
  public String toString() {
    return type + " '" + resource + "' " + field + " = " + value + ": " + why;
  }
}

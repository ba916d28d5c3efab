package dev.meshwork.core.routing;

import dev.meshwork.core.exception.MeshConfigException;

/**
 * Sends a call to {@code subset} whatever the route's split says when its header {@code header}
 * equals {@code value}; for example {@code x-canary: always} pins a tester to the canary.
 */
public record SubsetOverride(String header, String value, String subset) {

  public SubsetOverride {
    if (header == null || header.isBlank()) {
      throw new MeshConfigException("override header", header, "a header name such as x-canary");
    }
    if (value == null) {
      throw new MeshConfigException(
          "override '" + header + "' value", null, "the header value that selects the subset");
    }
    if (subset == null || subset.isBlank()) {
      throw new MeshConfigException(
          "override '" + header + "' subset", subset, "the name of a subset");
    }
  }

  @Override
  public String toString() {
    return header + ": " + value + " -> " + subset;
  }
}

package dev.meshwork.core;

import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;

/** A logical {@code GET} without headers. */
public record GetRequest(String path) implements MeshRequest {
  @Override
  public String method() {
    return "GET";
  }

  @Override
  public String header(String name) {
    return null;
  }
}

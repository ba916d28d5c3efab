package dev.meshwork.core;

import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;

/** A logical request with a chosen method and per-call options. */
public record TestRequest(String method, CallOptions options) implements MeshRequest {

  public static TestRequest get() {
    return new TestRequest("GET", CallOptions.NONE);
  }

  public static TestRequest post() {
    return new TestRequest("POST", CallOptions.NONE);
  }

  @Override
  public String path() {
    return "/";
  }

  @Override
  public String header(String name) {
    return null;
  }
}

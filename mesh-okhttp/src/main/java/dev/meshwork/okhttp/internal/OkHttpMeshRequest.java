package dev.meshwork.okhttp.internal;

import dev.meshwork.core.transport.MeshRequest;
import okhttp3.Request;

/** An OkHttp request seen through the core's transport-neutral view; no copying. */
final class OkHttpMeshRequest implements MeshRequest {
  private final Request request;

  OkHttpMeshRequest(Request request) {
    this.request = request;
  }

  @Override
  public String method() {
    return request.method();
  }

  @Override
  public String path() {
    return request.url().encodedPath();
  }

  @Override
  public String header(String name) {
    return request.header(name);
  }
}

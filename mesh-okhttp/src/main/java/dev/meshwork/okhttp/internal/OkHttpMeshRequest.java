package dev.meshwork.okhttp.internal;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.spi.ServiceInvoker.MeshRequest;
import okhttp3.Request;
import retrofit2.Invocation;

/** An OkHttp request seen through the core's transport-neutral view; no copying. */
final class OkHttpMeshRequest implements MeshRequest {
  private final Request request;
  private CallOptions options;

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
  public String query() {
    return request.url().encodedQuery();
  }

  /** The Retrofit method's path template, when the call comes from an annotated interface. */
  @Override
  public String pathTemplate() {
    Invocation invocation = request.tag(Invocation.class);
    return invocation == null ? null : PathTemplates.of(invocation.method());
  }

  @Override
  public String header(String name) {
    return request.header(name);
  }

  /**
   * A {@link CallOptions} tag on the request wins; else the annotations of the Retrofit method
   * called.
   */
  @Override
  public CallOptions options() {
    CallOptions resolved = options;
    if (resolved == null) {
      resolved = request.tag(CallOptions.class);
      if (resolved == null) {
        Invocation invocation = request.tag(Invocation.class);
        resolved = invocation == null ? CallOptions.NONE : MethodOptions.of(invocation.method());
      }
      options = resolved;
    }
    return resolved;
  }
}

package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.exception.MeshException;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;

/**
 * A response body whose read failures name the service and the endpoint that sent it. The mesh
 * returns the response once its headers arrive; a timeout or reset while the application reads the
 * body would otherwise reach it as OkHttp's bare {@code SocketTimeoutException: timeout}.
 */
final class NamingBody extends ResponseBody {
  private final ResponseBody body;
  private final ServiceName service;
  private final Endpoint endpoint;
  private BufferedSource source;

  private NamingBody(ResponseBody body, ServiceName service, Endpoint endpoint) {
    this.body = body;
    this.service = service;
    this.endpoint = endpoint;
  }

  /**
   * {@code response} with its body wrapped; unchanged when no endpoint sent it (an injected fault)
   * or it has no body to read.
   */
  static Response wrap(Response response, ServiceName service) {
    Endpoint endpoint = response.request().tag(Endpoint.class);
    ResponseBody body = response.body();
    if (endpoint == null || body.contentLength() == 0) {
      return response;
    }
    return response.newBuilder().body(new NamingBody(body, service, endpoint)).build();
  }

  @Override
  public MediaType contentType() {
    return body.contentType();
  }

  @Override
  public long contentLength() {
    return body.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) {
      source =
          Okio.buffer(
              new ForwardingSource(body.source()) {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                  try {
                    return super.read(sink, byteCount);
                  } catch (MeshException e) {
                    throw e;
                  } catch (IOException e) {
                    throw new MeshException.EndpointFailed(
                        service, endpoint, "reading the response body", e);
                  }
                }
              });
    }
    return source;
  }

  @Override
  public void close() {
    body.close();
  }
}

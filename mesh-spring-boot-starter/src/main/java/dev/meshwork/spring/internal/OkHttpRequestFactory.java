package dev.meshwork.spring.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.Objects;
import java.util.Set;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;

/**
 * Spring's {@link ClientHttpRequestFactory} over an OkHttp 5 client, here the mesh's: a {@code
 * RestClient} built with it sends {@code http://mathoid/...} through the mesh. Spring Framework 7
 * has no OkHttp factory and 6's is for OkHttp 4. The request body is buffered, as OkHttp needs its
 * length to retry it.
 */
public final class OkHttpRequestFactory implements ClientHttpRequestFactory {
  /** Methods OkHttp sends without a body when the caller wrote none. */
  private static final Set<String> BODILESS = Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE");

  private final OkHttpClient client;

  public OkHttpRequestFactory(OkHttpClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod method) {
    return new OkHttpRequest(client, uri, method);
  }

  private static final class OkHttpRequest extends AbstractClientHttpRequest {
    private final OkHttpClient client;
    private final URI uri;
    private final HttpMethod method;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);

    OkHttpRequest(OkHttpClient client, URI uri, HttpMethod method) {
      this.client = client;
      this.uri = uri;
      this.method = method;
    }

    @Override
    public HttpMethod getMethod() {
      return method;
    }

    @Override
    public URI getURI() {
      return uri;
    }

    @Override
    protected OutputStream getBodyInternal(HttpHeaders headers) {
      return body;
    }

    @Override
    protected ClientHttpResponse executeInternal(HttpHeaders headers) throws IOException {
      Request.Builder request = new Request.Builder().url(uri.toString());
      headers.forEach(
          (name, values) -> {
            for (String value : values) {
              request.addHeader(name, value);
            }
          });
      String name = method.name();
      byte[] bytes = body.toByteArray();
      RequestBody requestBody = null;
      if (bytes.length > 0 || !BODILESS.contains(name)) {
        MediaType type =
            headers.getContentType() == null
                ? null
                : MediaType.parse(headers.getContentType().toString());
        requestBody = RequestBody.create(bytes, type);
      }
      request.method(name, requestBody);
      return new OkHttpResponse(client.newCall(request.build()).execute());
    }
  }

  private static final class OkHttpResponse implements ClientHttpResponse {
    private final Response response;
    private HttpHeaders headers;

    OkHttpResponse(Response response) {
      this.response = response;
    }

    @Override
    public HttpStatusCode getStatusCode() {
      return HttpStatusCode.valueOf(response.code());
    }

    @Override
    public String getStatusText() {
      return response.message();
    }

    @Override
    public HttpHeaders getHeaders() {
      if (headers == null) {
        HttpHeaders copy = new HttpHeaders();
        for (String name : response.headers().names()) {
          copy.addAll(name, response.headers(name));
        }
        headers = copy;
      }
      return headers;
    }

    @Override
    public InputStream getBody() {
      ResponseBody body = response.body();
      return body.byteStream();
    }

    @Override
    public void close() {
      response.close();
    }
  }
}

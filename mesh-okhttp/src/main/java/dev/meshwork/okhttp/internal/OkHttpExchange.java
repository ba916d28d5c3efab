package dev.meshwork.okhttp.internal;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.policy.Timeouts;
import dev.meshwork.core.routing.Route.Mirror;
import dev.meshwork.core.spi.ServiceInvoker.AttemptContext;
import dev.meshwork.core.spi.ServiceInvoker.Exchange;
import dev.meshwork.core.spi.ServiceInvoker.FailureKind;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okhttp3.internal.http2.ErrorCode;
import okhttp3.internal.http2.StreamResetException;
import okio.Okio;

/**
 * Sends one attempt of a logical OkHttp call to a picked endpoint: the URL's host and port are
 * replaced by the endpoint's, and the {@code Host} header keeps the logical authority (as Envoy
 * does), so the backend still sees which service was asked for. The endpoint is attached as a
 * request tag for network interceptors and event listeners. For a service with mutual TLS the
 * attempt is made over HTTPS whatever the logical URL's scheme, with the service's TLS settings:
 * the logical {@code http://mathoid/} never reaches the network as plaintext.
 */
final class OkHttpExchange implements Exchange<Response> {
  /** Marks a response that an injected fault made up; no backend saw the call. */
  static final String FAULT_HEADER = "x-mesh-fault";

  private final Interceptor.Chain chain;
  private final Request logical;
  private final String hostHeader;
  private final boolean callerSetHost;
  private final String scheme;
  private final TlsDial tls;
  private final OkHttpClient direct;
  private final EndpointUrls urls;
  private volatile HedgedSender hedged;

  /**
   * @param tls how to secure the service's connections, or {@code null} for plaintext
   * @param direct a client on the mesh's pool without the mesh interceptor, for hedged attempts
   * @param urls the transport's endpoint URLs
   */
  OkHttpExchange(Interceptor.Chain chain, TlsDial tls, OkHttpClient direct, EndpointUrls urls) {
    this.tls = tls;
    this.direct = direct;
    this.urls = urls;
    this.chain = tls == null ? chain : tls.apply(chain);
    this.scheme = tls == null ? chain.request().url().scheme() : "https";
    this.logical = chain.request();
    String userHost = logical.header("Host");
    this.callerSetHost = userHost != null;
    this.hostHeader = callerSetHost ? userHost : authority(logical.url());
  }

  @Override
  public Response send(Endpoint endpoint, AttemptContext attempt) throws IOException {
    Request.Builder request = physical(endpoint);
    Map<String, String> attemptHeaders = attempt.headers();
    if (!attemptHeaders.isEmpty()) {
      attemptHeaders.forEach(
          request::header); // trace context; replaces the caller's, whose span is this attempt's
      // parent
    }
    if (attempt.propagateDeadline()) {
      request.header(
          Timeouts.DEADLINE_HEADER,
          Long.toString(Math.max(0, attempt.deadlineRemainingNanos() / 1_000_000)));
    }
    try {
      if (attempt.hedged()) {
        return hedgedSender().send(request.build(), attempt);
      }
      return bounded(attempt).proceed(request.build());
    } catch (IOException e) {
      throw tls == null ? e : TlsDial.explain(e);
    }
  }

  /**
   * The logical request aimed at {@code endpoint}, keeping the logical authority in {@code Host}.
   */
  private Request.Builder physical(Endpoint endpoint) {
    HttpUrl physical = urls.aim(logical.url(), scheme, endpoint);
    Request.Builder request = logical.newBuilder().url(physical).tag(Endpoint.class, endpoint);
    if (!callerSetHost) {
      request.addHeader("Host", hostHeader); // the caller's own Host header is already in the copy
    }
    if (tls != null) {
      request.tag(TlsDial.class, tls); // for TrustGuard, which sees the connection
    }
    return request;
  }

  @Override
  public Response injectedResponse(int status, String reason) {
    return new Response.Builder()
        .request(logical)
        .protocol(Protocol.HTTP_1_1)
        .code(status)
        .message("Fault Injected")
        .header(FAULT_HEADER, "abort")
        .body(ResponseBody.create(reason, MediaType.get("text/plain; charset=utf-8")))
        .build();
  }

  @Override
  public boolean canMirror() {
    // A one-shot or duplex body would be consumed by whichever send reads it first.
    RequestBody body = logical.body();
    return body == null || (!body.isOneShot() && !body.isDuplex());
  }

  @Override
  public void mirror(Endpoint endpoint, long timeoutNanos) throws IOException {
    Request copy = physical(endpoint).header(Mirror.HEADER, "true").build();
    Call call = hedgedSender().detachedCall(copy, timeoutNanos, timeoutNanos);
    call.timeout().timeout(timeoutNanos, TimeUnit.NANOSECONDS); // the whole copy, body included
    try (Response response = call.execute()) {
      // Reading the body to its end lets the connection go back to the pool.
      response.body().source().readAll(Okio.blackhole());
    }
  }

  @Override
  public boolean supportsHedging() {
    return true;
  }

  @Override
  public void cancel(AttemptContext attempt) {
    HedgedSender sender = hedged;
    if (sender != null) {
      sender.cancel(attempt);
    }
  }

  @Override
  public boolean callerCancelled() {
    return chain.call().isCanceled();
  }

  private HedgedSender hedgedSender() {
    HedgedSender sender = hedged;
    if (sender == null) {
      synchronized (this) {
        sender = hedged;
        if (sender == null) {
          sender = new HedgedSender(direct, tls);
          hedged = sender;
        }
      }
    }
    return sender;
  }

  /**
   * The chain with this attempt's connect, write and read waits bounded; no copy when nothing is
   * bounded.
   */
  private Interceptor.Chain bounded(AttemptContext attempt) {
    long timeout = attempt.timeoutNanos();
    long connect = attempt.connectTimeoutNanos();
    Interceptor.Chain bounded = chain;
    if (connect != TimeUnit.MILLISECONDS.toNanos(chain.connectTimeoutMillis())) {
      bounded = bounded.withConnectTimeout(toMillis(connect), TimeUnit.MILLISECONDS);
    }
    if (timeout != Long.MAX_VALUE) {
      int millis = toMillis(timeout);
      bounded =
          bounded
              .withReadTimeout(millis, TimeUnit.MILLISECONDS)
              .withWriteTimeout(millis, TimeUnit.MILLISECONDS);
    }
    return bounded;
  }

  private static int toMillis(long nanos) {
    // OkHttp reads 0 as "no timeout", so a bound that has all but run out stays 1 ms.
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  @Override
  public String header(Response response, String name) {
    return response.header(name);
  }

  @Override
  public FailureKind classify(IOException failure) {
    if (failure instanceof StreamResetException reset
        && reset.errorCode == ErrorCode.REFUSED_STREAM) {
      return FailureKind.REFUSED_STREAM;
    }
    return FailureKind.of(failure);
  }

  @Override
  public int status(Response response) {
    return response.code();
  }

  @Override
  public void discard(Response response) {
    response.close();
  }

  private static String authority(HttpUrl url) {
    return url.port() == HttpUrl.defaultPort(url.scheme())
        ? url.host()
        : url.host() + ":" + url.port();
  }
}

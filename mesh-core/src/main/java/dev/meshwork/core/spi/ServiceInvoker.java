package dev.meshwork.core.spi;

import dev.meshwork.core.CallOptions;
import dev.meshwork.core.Endpoint;
import dev.meshwork.core.ServiceName;
import dev.meshwork.core.spi.PeerSecurity.ClientTls;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The entry point a transport uses to send a logical call to one service through the mesh's
 * pipeline. Obtain it with {@link MeshTransports.TransportContext#invoker(String)}; it is cheap to
 * look up per call and safe to share.
 *
 * <p>What the transport hands the pipeline is nested here: the {@link MeshRequest} and the {@link
 * Exchange} it implements per call, the {@link AttemptContext} each attempt is sent with, and the
 * {@link FailureKind} an I/O failure is classified as.
 */
public interface ServiceInvoker {

  /** The service this invoker sends to. */
  ServiceName service();

  /**
   * How to secure connections to the service's endpoints, or {@code null} when the service is
   * configured for plaintext. A transport must not connect without it when it is set.
   */
  ClientTls clientTls();

  /**
   * Runs the logical call through the pipeline: resolve endpoints, pick one, send through {@code
   * exchange}, record the outcome.
   *
   * @return the response of the attempt the pipeline settled on
   * @throws dev.meshwork.core.exception.MeshException when the mesh could not complete the call;
   *     the message names the service, the endpoint and the reason
   */
  <R> R invoke(MeshRequest request, Exchange<R> exchange) throws IOException;

  /**
   * A transport's logical request as the pipeline sees it: enough to route, balance and decide
   * whether a retry is safe, without the core knowing the HTTP client in use. Implementations wrap
   * the transport's request object and do not copy it.
   */
  interface MeshRequest {

    /** The HTTP method in upper case, for example {@code GET}. */
    String method();

    /** The path of the logical URL, starting with {@code /}, without the query. */
    String path();

    /**
     * The encoded query of the logical URL without the {@code ?}, or {@code null} when it has none.
     */
    default String query() {
      return null;
    }

    /**
     * The path's template, such as {@code /render/{format}}, when the caller declared one (a
     * Retrofit method's annotation), or {@code null}. Metrics and span names use it; raw paths
     * would make unbounded tag values.
     */
    default String pathTemplate() {
      return null;
    }

    /** The first value of a request header, or {@code null}; names are case-insensitive. */
    String header(String name);

    /**
     * Per-call overrides of the service's timeouts and retries; {@link CallOptions#NONE} by
     * default.
     */
    default CallOptions options() {
      return CallOptions.NONE;
    }
  }

  /**
   * How a transport performs one physical attempt of a logical call and what the pipeline may learn
   * of the result. Created per logical call by the transport; the pipeline may call {@link #send}
   * more than once (retries, hedges), each time with the endpoint it picked.
   *
   * @param <R> the transport's response type
   */
  interface Exchange<R> {

    /** Sends the call to {@code endpoint} and returns the response, or throws on I/O failure. */
    R send(Endpoint endpoint, AttemptContext attempt) throws IOException;

    /** The HTTP status code of a response, used to classify the attempt's outcome. */
    int status(R response);

    /**
     * The first value of a response header, or {@code null}; the retry stage reads {@code
     * Retry-After} here. A transport that does not implement it never has its retries delayed by
     * the server.
     */
    default String header(R response, String name) {
      return null;
    }

    /**
     * What an I/O failure of {@link #send} proves about the request; the default reads the JDK's
     * exception types (see {@link FailureKind#of}).
     */
    default FailureKind classify(IOException failure) {
      return FailureKind.of(failure);
    }

    /**
     * Whether this transport can run {@linkplain AttemptContext#hedged() hedged} attempts: several
     * {@link #send} calls at once from different threads, each stoppable with {@link #cancel}.
     * Hedging is skipped for transports that cannot.
     */
    default boolean supportsHedging() {
      return false;
    }

    /** Stops a hedged attempt that lost the race; its {@link #send} then fails promptly. */
    default void cancel(AttemptContext attempt) {}

    /**
     * Whether the caller cancelled the logical call (OkHttp's {@code Call.cancel()}). An attempt
     * that fails then is no verdict on its endpoint, and it is not retried.
     */
    default boolean callerCancelled() {
      return false;
    }

    /**
     * A response with {@code status} that ends the call without reaching a backend, for an injected
     * fault; {@code reason} says which route injected it. {@code null} when the transport cannot
     * make one, and the call then fails with {@code MeshException.FaultInjected} instead.
     */
    default R injectedResponse(int status, String reason) {
      return null;
    }

    /**
     * Whether {@link #mirror} can send a copy of this call: the transport supports it and the
     * request has no body, or one that can be sent twice.
     */
    default boolean canMirror() {
      return false;
    }

    /**
     * Sends a copy of the logical request to {@code endpoint} and throws the answer away; called on
     * a mesh thread, possibly while {@link #send} runs, and gives up after {@code timeoutNanos}.
     * The copy goes with the service's TLS and carries the {@code x-mesh-shadow} header.
     */
    default void mirror(Endpoint endpoint, long timeoutNanos) throws IOException {
      throw new UnsupportedOperationException("this transport does not mirror calls");
    }

    /** Releases a response the pipeline will not hand to the caller (for example a retried 503). */
    void discard(R response);
  }

  /** What a transport may know of the attempt it is asked to send. */
  interface AttemptContext {

    /** The service the logical call is addressed to. */
    ServiceName service();

    /** 0 for the first attempt of the call, 1 for the first retry, and so on. */
    int attempt();

    /**
     * How long connecting to the endpoint may take, in nanoseconds; never more than {@link
     * #timeoutNanos()}.
     */
    long connectTimeoutNanos();

    /**
     * How long this attempt may wait for the server in total (the per-try timeout, cut to what is
     * left of the call's deadline), in nanoseconds; {@link Long#MAX_VALUE} when unbounded. A
     * transport bounds its connect, write and read waits with it.
     */
    long timeoutNanos();

    /**
     * The time left before the call's deadline, in nanoseconds, to send downstream when {@link
     * #propagateDeadline()} is set; {@link Long#MAX_VALUE} when the call has no deadline.
     */
    long deadlineRemainingNanos();

    /**
     * Whether this attempt may run concurrently with another attempt of the same call (hedging).
     * The transport must then send it independently of the others and stop it on {@link
     * Exchange#cancel}.
     */
    boolean hedged();

    /**
     * Whether the transport should send the remaining deadline in the {@code x-mesh-timeout-ms}
     * header.
     */
    boolean propagateDeadline();

    /**
     * Headers the pipeline asks the transport to set on this attempt's request, replacing any of
     * the same name (the trace context: {@code traceparent}, {@code tracestate}); empty when there
     * are none. Fixed once the transport is asked to send.
     */
    default Map<String, String> headers() {
      return Map.of();
    }
  }

  /**
   * What an attempt's I/O failure proves about the request. Retries depend on it: a failure that
   * proves nothing was sent may be retried for any method, the others only for idempotent calls.
   */
  enum FailureKind {
    /**
     * No connection: refused, unreachable, connect timeout or TLS handshake failure. Nothing was
     * sent.
     */
    CONNECT_FAILURE(true),
    /**
     * An HTTP/2 stream the server refused before processing it (REFUSED_STREAM). Nothing was
     * processed.
     */
    REFUSED_STREAM(true),
    /** The connection broke after the request may have been written: reset, EOF, protocol error. */
    RESET(false),
    /**
     * The attempt's timeout passed while waiting for the server; it may have processed the request.
     */
    TIMEOUT(false);

    private final boolean provesNotSent;

    FailureKind(boolean provesNotSent) {
      this.provesNotSent = provesNotSent;
    }

    /**
     * Whether this failure proves the server never processed the request, so any method may be
     * retried.
     */
    public boolean provesNotSent() {
      return provesNotSent;
    }

    /**
     * Classifies a failure by the JDK's exception types; transports refine it with what only they
     * know (OkHttp's refused streams, for example).
     */
    public static FailureKind of(IOException failure) {
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof ConnectException
            || t instanceof NoRouteToHostException
            || t instanceof UnknownHostException
            || t instanceof SSLHandshakeException
            || t instanceof SSLPeerUnverifiedException) {
          return CONNECT_FAILURE;
        }
        if (t instanceof SocketTimeoutException) {
          String message = t.getMessage();
          // The JDK and OkHttp say "Connect timed out" / "connect timed out" for a connect that
          // never
          // finished.
          return message != null && message.toLowerCase(Locale.ROOT).contains("connect")
              ? CONNECT_FAILURE
              : TIMEOUT;
        }
      }
      return RESET;
    }
  }
}

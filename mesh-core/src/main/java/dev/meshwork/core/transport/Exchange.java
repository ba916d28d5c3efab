package dev.meshwork.core.transport;

import dev.meshwork.core.Endpoint;
import java.io.IOException;

/**
 * How a transport performs one physical attempt of a logical call and what the pipeline may learn
 * of the result. Created per logical call by the transport; the pipeline may call {@link #send}
 * more than once (retries, hedges), each time with the endpoint it picked.
 *
 * @param <R> the transport's response type
 */
public interface Exchange<R> {

  /** Sends the call to {@code endpoint} and returns the response, or throws on I/O failure. */
  R send(Endpoint endpoint, AttemptContext attempt) throws IOException;

  /** The HTTP status code of a response, used to classify the attempt's outcome. */
  int status(R response);

  /**
   * The first value of a response header, or {@code null}; the retry stage reads {@code
   * Retry-After} here. A transport that does not implement it never has its retries delayed by the
   * server.
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
   * Whether the caller cancelled the logical call (OkHttp's {@code Call.cancel()}). An attempt that
   * fails then is no verdict on its endpoint, and it is not retried.
   */
  default boolean callerCancelled() {
    return false;
  }

  /**
   * A response with {@code status} that ends the call without reaching a backend, for an injected
   * fault; {@code reason} says which route injected it. {@code null} when the transport cannot make
   * one, and the call then fails with {@code MeshException.FaultInjected} instead.
   */
  default R injectedResponse(int status, String reason) {
    return null;
  }

  /**
   * Whether {@link #mirror} can send a copy of this call: the transport supports it and the request
   * has no body, or one that can be sent twice.
   */
  default boolean canMirror() {
    return false;
  }

  /**
   * Sends a copy of the logical request to {@code endpoint} and throws the answer away; called on a
   * mesh thread, possibly while {@link #send} runs, and gives up after {@code timeoutNanos}. The
   * copy goes with the service's TLS and carries the {@code x-mesh-shadow} header.
   */
  default void mirror(Endpoint endpoint, long timeoutNanos) throws IOException {
    throw new UnsupportedOperationException("this transport does not mirror calls");
  }

  /** Releases a response the pipeline will not hand to the caller (for example a retried 503). */
  void discard(R response);
}

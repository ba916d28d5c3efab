package dev.meshwork.core.exception;

import dev.meshwork.core.Endpoint;
import dev.meshwork.core.Mesh;
import dev.meshwork.core.ServiceName;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A call through the mesh failed. Every message names the service, the endpoint when one was
 * involved, and the reason, for example {@code service 'mathoid' endpoint 10.0.4.7:10044:
 * connection refused}. The class is sealed; its subclasses say why, and so what a caller does:
 *
 * <ul>
 *   <li>{@link EndpointFailed}: an attempt's I/O failed (refused, reset, timed out) and the mesh
 *       retried as far as its policy allowed; the transport's exception is the cause. Handle it as
 *       any I/O failure.
 *   <li>{@link DeadlineExceeded}: the call's deadline passed. Do not retry under the same deadline;
 *       {@link DeadlineExceeded#endpoints()} names the endpoints it was waiting on.
 *   <li>{@link CircuitOpen}: the service's breaker refused the call unsent because recent calls
 *       failed too often. Fail fast or serve a fallback; the breaker probes the service by itself.
 *   <li>{@link ConcurrencyLimited}: the service had too much in flight; shed or delay load rather
 *       than retry at once.
 *   <li>{@link RetryBudgetExhausted}: a retry was refused because many calls to the service are
 *       being retried already; the cause is the last attempt's failure. Add no retries of your own.
 *   <li>{@link NoHealthyEndpoints}: no endpoint could take the call (discovery has not answered,
 *       lists none, or every endpoint is ejected or failing health checks); {@link Mesh#snapshot()}
 *       shows which.
 *   <li>{@link FaultInjected}: a route's fault injection aborted the call on purpose; handle it as
 *       the failure it rehearses.
 *   <li>{@link Closed}: the mesh was closed before the call; stop calling through it.
 * </ul>
 *
 * <p>It is an {@link IOException} because that is what HTTP clients such as OkHttp promise their
 * callers; code that already handles I/O failures handles mesh failures too.
 */
public abstract sealed class MeshException extends IOException {
  private static final long serialVersionUID = 1L;

  private final ServiceName service;
  private final transient Endpoint endpoint;

  private MeshException(ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
    super(describe(service, endpoint, reason), cause);
    this.service = service;
    this.endpoint = endpoint;
  }

  /** The service the call was addressed to. */
  public ServiceName service() {
    return service;
  }

  /**
   * The endpoint involved; empty when the call failed before one was picked (or when a hedged
   * call's deadline passed with attempts at several: see {@link DeadlineExceeded#endpoints()}).
   */
  public Optional<Endpoint> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  private static String describe(ServiceName service, Endpoint endpoint, String reason) {
    StringBuilder text = new StringBuilder("service '").append(service).append('\'');
    if (endpoint != null) {
      text.append(" endpoint ").append(endpoint.address());
    }
    return text.append(": ").append(reason).toString();
  }

  /**
   * The service's circuit breaker refused the call without sending it, because recent calls failed
   * too often ({@code OPEN}) or the few probe calls of {@code HALF_OPEN} are already under way.
   */
  public static final class CircuitOpen extends MeshException {
    private static final long serialVersionUID = 1L;

    private final String state;

    public CircuitOpen(ServiceName service, String state, String reason) {
      super(service, null, "circuit breaker " + state + ": " + reason, null);
      this.state = state;
    }

    /**
     * The breaker's state when it refused the call, for example {@code OPEN} or {@code HALF_OPEN}.
     */
    public String state() {
      return state;
    }
  }

  /**
   * A concurrency limit refused the call rather than queue it without bound: the service's
   * in-flight and pending requests were at their limits, or every endpoint was at its connection
   * limit. The message names the limit and its value.
   */
  public static final class ConcurrencyLimited extends MeshException {
    private static final long serialVersionUID = 1L;

    public ConcurrencyLimited(ServiceName service, Endpoint endpoint, String reason) {
      super(service, endpoint, reason, null);
    }
  }

  /**
   * A retry was allowed by the retry policy but refused by the service's retry budget: too many
   * calls are already being retried, so retrying this one would amplify an outage. Thrown only when
   * the last attempt failed without an answer, which is the {@linkplain #getCause() cause}; when it
   * got a retriable answer (a 503, say), the caller gets that answer instead.
   */
  public static final class RetryBudgetExhausted extends MeshException {
    private static final long serialVersionUID = 1L;

    public RetryBudgetExhausted(
        ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
      super(service, endpoint, reason, cause);
    }
  }

  /**
   * The service had no endpoint to send the call to: discovery has not answered yet, the service
   * has no instances, or none of them may take traffic. The message says which.
   */
  public static final class NoHealthyEndpoints extends MeshException {
    private static final long serialVersionUID = 1L;

    public NoHealthyEndpoints(ServiceName service, String reason) {
      super(service, null, reason, null);
    }
  }

  /**
   * A route's fault injection aborted the call on purpose, before it reached a backend: a chaos
   * rehearsal, not a real failure. The message names the service, the route and the fault.
   */
  public static final class FaultInjected extends MeshException {
    private static final long serialVersionUID = 1L;

    public FaultInjected(ServiceName service, String reason) {
      super(service, null, reason, null);
    }
  }

  /**
   * The logical call ran out of time: its deadline (the service's timeout, a per-call timeout, or a
   * deadline propagated from upstream) passed before an attempt succeeded. When an attempt was cut
   * short, its I/O failure is the {@linkplain #getCause() cause}.
   *
   * <p>The endpoint named is the one the call was waiting on. A hedged call may have been waiting
   * on several at once: then {@link #endpoint()} is empty, and {@link #endpoints()} and the message
   * name every endpoint that had an attempt in flight when the deadline passed.
   */
  public static final class DeadlineExceeded extends MeshException {
    private static final long serialVersionUID = 1L;

    /** Several endpoints with attempts in flight, or {@code null} when one or none was named. */
    private final transient List<Endpoint> inFlight;

    public DeadlineExceeded(
        ServiceName service, Endpoint endpoint, String reason, Throwable cause) {
      super(service, endpoint, reason, cause);
      this.inFlight = null;
    }

    private DeadlineExceeded(
        ServiceName service, List<Endpoint> inFlight, String reason, Throwable cause) {
      super(
          service,
          null,
          reason + "; hedged attempts were in flight at " + addresses(inFlight),
          cause);
      this.inFlight = inFlight;
    }

    /**
     * The deadline of a hedged call passed while attempts were in flight at each of {@code
     * inFlight} (two or more), as in {@code service 'mathoid': deadline of 300 ms exceeded after 2
     * attempts; hedged attempts were in flight at 10.0.0.1:80 and 10.0.0.2:80}.
     *
     * @throws IllegalArgumentException when {@code inFlight} names fewer than two endpoints: one is
     *     named through the constructor, as {@link #endpoint()}
     */
    public static DeadlineExceeded inFlightAt(
        ServiceName service, List<Endpoint> inFlight, String reason, Throwable cause) {
      if (inFlight.size() < 2) {
        throw new IllegalArgumentException(
            "inFlight: expected two or more endpoints, got "
                + inFlight.size()
                + " "
                + inFlight
                + "; name a single endpoint with the constructor");
      }
      return new DeadlineExceeded(service, List.copyOf(inFlight), reason, cause);
    }

    /**
     * Every endpoint the call was waiting on when the deadline passed, in attempt order; empty when
     * none was known.
     */
    public List<Endpoint> endpoints() {
      if (inFlight != null) {
        return inFlight;
      }
      return endpoint().map(List::of).orElse(List.of());
    }

    private static String addresses(List<Endpoint> endpoints) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < endpoints.size(); i++) {
        text.append(i == 0 ? "" : i == endpoints.size() - 1 ? " and " : ", ")
            .append(endpoints.get(i).address());
      }
      return text.toString();
    }
  }

  /**
   * The attempt on one endpoint failed with an I/O error (connection refused, reset, timeout, ...).
   * The transport's original exception is the {@linkplain #getCause() cause}; the message adds the
   * service and the endpoint the transport's own message does not know.
   */
  public static final class EndpointFailed extends MeshException {
    private static final long serialVersionUID = 1L;

    public EndpointFailed(ServiceName service, Endpoint endpoint, IOException cause) {
      super(service, endpoint, reasonOf(cause), cause);
    }

    /**
     * The same failure met while {@code doing} something the cause does not say, as in {@code
     * service 'mathoid' endpoint 10.0.4.7:10044: reading the response body: SocketTimeoutException:
     * timeout}.
     */
    public EndpointFailed(ServiceName service, Endpoint endpoint, String doing, IOException cause) {
      super(service, endpoint, doing + ": " + reasonOf(cause), cause);
    }

    private static String reasonOf(IOException cause) {
      String message = cause.getMessage();
      String type = cause.getClass().getSimpleName();
      return message == null || message.isBlank() ? type : type + ": " + message;
    }
  }

  /** The call was made after its {@link Mesh} was closed. */
  public static final class Closed extends MeshException {
    private static final long serialVersionUID = 1L;

    public Closed(ServiceName service) {
      super(service, null, "the mesh is closed", null);
    }
  }
}
